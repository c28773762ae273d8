package io.github.dl4jgrpoma.algo;

/**
 * Which denominator the group standard deviation uses.
 *
 * <p>For a group {@code x_1..x_n} with mean {@code m}:
 * <pre>
 *   POPULATION: std = sqrt( sum_i (x_i - m)^2 / n )
 *   SAMPLE:     std = sqrt( sum_i (x_i - m)^2 / (n - 1) ),   and std = 0 when n = 1
 * </pre>
 *
 * <p>The default is {@link #SAMPLE}: TRL's {@code GRPOTrainer} and verl's GRPO advantage both call
 * {@code torch.std}, which is the unbiased (n - 1) estimator. The GRPO-MA paper does not say which one
 * it uses. With {@code K} thoughts the two differ by the factor {@code sqrt(K / (K - 1))}: 1.41 at
 * {@code K = 2}, 1.03 at {@code K = 16}.
 */
public enum StdConvention {
    /** Divide the sum of squared deviations by {@code n}. */
    POPULATION,
    /** Divide by {@code n - 1} (Bessel's correction; a group of one value has std 0). The default. */
    SAMPLE;

    /** The default convention, {@link #SAMPLE}. */
    public static StdConvention defaultConvention() {
        return SAMPLE;
    }

    /**
     * The denominator applied to the sum of squared deviations of a group of {@code n} values.
     *
     * @param n group size, at least 1
     * @return {@code n} for POPULATION, {@code n - 1} for SAMPLE (0 when {@code n = 1}: callers treat a
     *         one-value group as having std 0)
     */
    public int divisor(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("StdConvention.divisor: n must be >= 1, got " + n);
        }
        return this == POPULATION ? n : n - 1;
    }
}
