package io.github.dl4jgrpoma.examples.image;

import io.github.dl4jgrpoma.multimodal.data.MnistImages;

/** Pixel helpers for composing task images from MNIST digits. */
final class Canvas {
    /** Ink threshold (of 255) for bounding boxes. */
    static final int INK = 128;

    private Canvas() {
    }

    /** Pastes image {@code i} (scaled to [0, 1]) into a row-major canvas of width {@code width} at (top, left). */
    static void paste(MnistImages images, int i, float[] canvas, int width, int top, int left) {
        for (int r = 0; r < images.rows(); r++) {
            for (int c = 0; c < images.cols(); c++) {
                canvas[(top + r) * width + left + c] = images.pixel(i, r, c) / 255f;
            }
        }
    }

    /**
     * Bounding box {@code {row0, col0, row1, col1}} (inclusive) of the pixels of image {@code i} at or above
     * {@link #INK}; the whole image when it has none.
     */
    static int[] inkBox(MnistImages images, int i) {
        int r0 = images.rows();
        int c0 = images.cols();
        int r1 = -1;
        int c1 = -1;
        for (int r = 0; r < images.rows(); r++) {
            for (int c = 0; c < images.cols(); c++) {
                if (images.pixel(i, r, c) >= INK) {
                    r0 = Math.min(r0, r);
                    c0 = Math.min(c0, c);
                    r1 = Math.max(r1, r);
                    c1 = Math.max(c1, c);
                }
            }
        }
        return r1 < 0 ? new int[] {0, 0, images.rows() - 1, images.cols() - 1} : new int[] {r0, c0, r1, c1};
    }

    /** ASCII art of a grey image, two pixel rows per text line, ten grey levels. */
    static String ascii(float[] pixels, int height, int width) {
        String ramp = " .:-=+*#%@";
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < height; r += 2) {
            for (int c = 0; c < width; c++) {
                float v = pixels[r * width + c];
                if (r + 1 < height) {
                    v = Math.max(v, pixels[(r + 1) * width + c]);
                }
                sb.append(ramp.charAt(Math.min(9, (int) (v * 10))));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
