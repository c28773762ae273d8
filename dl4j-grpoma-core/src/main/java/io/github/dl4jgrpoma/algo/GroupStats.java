package io.github.dl4jgrpoma.algo;

/**
 * Pure statistics of one group of values (the rewards or thought values that share a normaliser).
 *
 * <p>No state, no IO, no randomness. All methods treat a group whose values are all exactly equal
 * specially: its std is exactly 0 and its advantages are exactly 0. Computing them through the mean
 * would not be exact (the mean of three copies of 0.1 is 0.10000000000000002), and with {@code delta = 0}
 * that rounding residue divided by a rounding-size std would give advantages of order 1 or NaN.
 */
public final class GroupStats {
    private GroupStats() {
    }

    /** Arithmetic mean {@code (1/n) sum_i x_i}; the group must not be empty. */
    public static double mean(double[] values) {
        requireNonEmpty(values);
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** True when every value equals the first one exactly (a group of one value is all-equal). */
    public static boolean allEqual(double[] values) {
        requireNonEmpty(values);
        double first = values[0];
        for (double v : values) {
            if (v != first) {
                return false;
            }
        }
        return true;
    }

    /**
     * Standard deviation under the given convention (two-pass: mean first, then squared deviations).
     * Exactly 0 for an all-equal group, and for a one-value group under either convention.
     */
    public static double std(double[] values, StdConvention convention) {
        if (allEqual(values)) {
            return 0.0;
        }
        double mean = mean(values);
        double sumSq = 0;
        for (double v : values) {
            double d = v - mean;
            sumSq += d * d;
        }
        return Math.sqrt(sumSq / convention.divisor(values.length));
    }

    /**
     * Group-normalised advantages {@code a_i = (x_i - mean) / (std + delta)}.
     *
     * <p>An all-equal group gets exactly 0 for every member, whatever {@code delta} is. If
     * {@code std + delta} is 0 although the values differ (only possible for differences so small that
     * their squares underflow, with {@code delta = 0}) the advantages are also 0 rather than infinite.
     *
     * @throws IllegalArgumentException if the mean or std overflows (rewards near {@code Double.MAX_VALUE})
     */
    public static double[] normalize(double[] values, StdConvention convention, double delta) {
        double[] out = new double[values.length];
        if (allEqual(values)) {
            return out;
        }
        double mean = mean(values);
        double std = std(values, convention);
        requireFinite(mean, std);
        double denominator = std + delta;
        if (denominator == 0) {
            return out;
        }
        for (int i = 0; i < values.length; i++) {
            out[i] = (values[i] - mean) / denominator;
        }
        return out;
    }

    /**
     * Centred values {@code a_i = x_i - mean} (Dr. GRPO: no std scaling). Exactly 0 for an all-equal group.
     *
     * @throws IllegalArgumentException if the mean overflows
     */
    public static double[] center(double[] values) {
        double[] out = new double[values.length];
        if (allEqual(values)) {
            return out;
        }
        double mean = mean(values);
        requireFinite(mean, 0);
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] - mean;
        }
        return out;
    }

    private static void requireFinite(double mean, double std) {
        if (!Double.isFinite(mean) || !Double.isFinite(std)) {
            throw new IllegalArgumentException("GroupStats: the group mean (" + mean + ") or std (" + std
                    + ") overflowed; rewards are too large in magnitude: rescale the reward function");
        }
    }

    private static void requireNonEmpty(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("GroupStats: a group needs at least one value, got "
                    + (values == null ? "null" : "an empty array"));
        }
    }
}
