package io.github.dl4jgrpoma.examples.image;

import java.util.Optional;

/**
 * Grid boxes {@code {x0, y0, x1, y1}} (inclusive cells) as text {@code "x0,y0,x1,y1"}, and their IoU.
 */
public final class Boxes {
    private Boxes() {
    }

    /** {@code "x0,y0,x1,y1"}. */
    public static String format(int[] box) {
        return box[0] + "," + box[1] + "," + box[2] + "," + box[3];
    }

    /** The box of a text, or empty when it is not four non-negative integers with x0 <= x1 and y0 <= y1. */
    public static Optional<int[]> parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        int[] box = new int[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
            box[i] = Integer.parseInt(parts[i]);
        }
        return box[0] <= box[2] && box[1] <= box[3] ? Optional.of(box) : Optional.empty();
    }

    /** Intersection over union of two boxes of inclusive cells (area in cells). */
    public static double iou(int[] a, int[] b) {
        int w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]) + 1;
        int h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]) + 1;
        double inter = w > 0 && h > 0 ? (double) w * h : 0;
        double union = area(a) + area(b) - inter;
        return inter / union;
    }

    private static double area(int[] box) {
        return (double) (box[2] - box[0] + 1) * (box[3] - box[1] + 1);
    }

    /** Swaps coordinates in place so that x0 <= x1 and y0 <= y1. */
    static void order(int[] box) {
        if (box[0] > box[2]) {
            int t = box[0];
            box[0] = box[2];
            box[2] = t;
        }
        if (box[1] > box[3]) {
            int t = box[1];
            box[1] = box[3];
            box[3] = t;
        }
    }
}
