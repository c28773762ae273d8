package io.github.dl4jgrpoma.algo;

/**
 * Pure statistics of one group of values (the rewards or thought values that share a normaliser).
 *
 * <p>No state, no IO, no randomness. All methods treat an <em>all-equal</em> group specially: its std is
 * exactly 0 and its advantages are exactly 0, whatever {@code delta} is. "All equal" is decided with a
 * tolerance relative to the values' scale, not with {@code ==}:
 * <pre>
 *   all equal  &lt;=&gt;  max_i x_i - min_i x_i  &lt;=  RELATIVE_TOLERANCE * scale,   scale = max_i |x_i| by default
 * </pre>
 * with {@link #RELATIVE_TOLERANCE} {@code = 1e-9} (our choice: far above the rounding of sums and means of
 * doubles, about {@code n * 1.1e-16} relative for {@code n} terms, and far below any reward difference that
 * means something). Without it, {@code 0.1 + 0.2} and {@code 0.3} (one rounding step apart) count as
 * different and, with {@code delta = 0}, the rounding residue divided by a rounding-size std becomes an
 * advantage of order 1 (issue 9). Thought values {@code V_i} are means of rewards, so their rounding is
 * relative to the rewards' magnitude: estimators pass the rewards' scale {@link #scale} for them
 * ({@code allEqual(values, scale)} and the other {@code scale} overloads).
 */
public final class GroupStats {
    /**
     * Relative tolerance of the all-equal test, {@value}: a group whose spread (max - min) is at most this
     * times its scale counts as all equal (our choice, see the class documentation).
     */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    private GroupStats() {
    }

    /** The default scale of a group for the all-equal test: {@code max_i |x_i|}; the group must not be empty. */
    public static double scale(double[] values) {
        requireNonEmpty(values);
        double scale = 0;
        for (double v : values) {
            scale = Math.max(scale, Math.abs(v));
        }
        return scale;
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

    /**
     * True when the group is all equal relative to its own scale: {@code allEqual(values, scale(values))}.
     * A group of one value is all-equal.
     */
    public static boolean allEqual(double[] values) {
        return allEqual(values, scale(values));
    }

    /**
     * True when {@code max - min <= RELATIVE_TOLERANCE * scale}.
     *
     * @param scale magnitude the values' rounding is relative to ({@code >= 0}); for means of rewards, the
     *              rewards' {@link #scale}
     */
    public static boolean allEqual(double[] values, double scale) {
        requireNonEmpty(values);
        double min = values[0];
        double max = values[0];
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min <= RELATIVE_TOLERANCE * scale;
    }

    /**
     * Standard deviation under the given convention (two-pass: mean first, then squared deviations).
     * Exactly 0 for an all-equal group ({@link #allEqual(double[])}), and for a one-value group under either
     * convention.
     */
    public static double std(double[] values, StdConvention convention) {
        return std(values, convention, scale(values));
    }

    /** {@link #std(double[], StdConvention)} with the all-equal test at the given scale. */
    public static double std(double[] values, StdConvention convention, double scale) {
        if (allEqual(values, scale)) {
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
     * <p>An all-equal group ({@link #allEqual(double[])}, relative tolerance {@value #RELATIVE_TOLERANCE})
     * gets exactly 0 for every member, whatever {@code delta} is. If
     * {@code std + delta} is 0 although the values differ (only possible for differences so small that
     * their squares underflow, with {@code delta = 0}) the advantages are also 0 rather than infinite.
     *
     * @throws IllegalArgumentException if the mean or std overflows (rewards near {@code Double.MAX_VALUE})
     */
    public static double[] normalize(double[] values, StdConvention convention, double delta) {
        return normalize(values, convention, delta, scale(values));
    }

    /** {@link #normalize(double[], StdConvention, double)} with the all-equal test at the given scale. */
    public static double[] normalize(double[] values, StdConvention convention, double delta, double scale) {
        double[] out = new double[values.length];
        if (allEqual(values, scale)) {
            return out;
        }
        double mean = mean(values);
        double std = std(values, convention, scale);
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
     * Centred values {@code a_i = x_i - mean} (Dr. GRPO: no std scaling). Exactly 0 for an all-equal group
     * ({@link #allEqual(double[])}).
     *
     * @throws IllegalArgumentException if the mean overflows
     */
    public static double[] center(double[] values) {
        return center(values, scale(values));
    }

    /** {@link #center(double[])} with the all-equal test at the given scale. */
    public static double[] center(double[] values, double scale) {
        double[] out = new double[values.length];
        if (allEqual(values, scale)) {
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
