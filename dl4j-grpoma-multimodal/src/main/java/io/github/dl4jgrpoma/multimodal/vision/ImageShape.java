package io.github.dl4jgrpoma.multimodal.vision;

/**
 * Shape of one image, channels first: {@code [channels, height, width]} (the {@code [C,H,W]} of a pixel batch
 * {@code [B,C,H,W]}).
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("ImageShape: channels, height and width must be >= 1, got "
                    + channels + "x" + height + "x" + width);
        }
    }

    /** Number of values of one image, {@code C*H*W}. */
    public int size() {
        return channels * height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
