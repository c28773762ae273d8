package io.github.dl4jgrpoma.algo;

/**
 * Plain GRPO advantages ({@code grpo}, the paper's TkA1 baseline), GRPO-MA.md section 2.
 *
 * <pre>
 *   A_i = (R_i - mean_k R_k) / (std_k R_k + delta)        over the K complete responses of the prompt
 *   A_th_i = A_ans_i1 = A_i                               thought and answer tokens share it (coupling)
 * </pre>
 *
 * <p>Requires {@code M = 1} (one answer per thought) and {@code K >= 2}; for several answers per thought
 * use {@code grpo-ma}. The answer normalisation option is ignored (with one answer per thought the
 * per-thought ablation would zero every advantage); the reported metrics count one answer group and
 * {@code thoughtValues = R_i}. Std convention, delta and reward scaling ({@link RewardScaling}: group, batch or
 * none) come from {@link AdvantageConfig}; an all-equal
 * group (up to {@link GroupStats#RELATIVE_TOLERANCE} of the rewards' scale) gets exactly 0.
 */
public final class GrpoEstimator extends ValidatedEstimator {
    /** Registry name. */
    public static final String NAME = "grpo";

    /** The estimator (stateless). */
    public GrpoEstimator() {
        super(NAME);
    }

    /** {@link PackingMode#COUPLED}: plain GRPO gives the whole response (thought and answer) one advantage. */
    @Override
    public PackingMode packing() {
        return PackingMode.COUPLED;
    }

    @Override
    Advantages compute(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
        int k = rewards.length;
        int m = rewards[0].length;
        if (m != 1) {
            throw new IllegalArgumentException(NAME + ": " + RewardValidation.describePrompt(promptIndex) + " has M=" + m
                    + " answers per thought but plain GRPO takes exactly one (M=1); use the '" + GrpoMaEstimator.NAME
                    + "' estimator for several answers per thought");
        }
        double[] r = new double[k];
        for (int i = 0; i < k; i++) {
            r[i] = rewards[i][0];
        }
        double[] a = cfg.scaleRewards().perGroup(r, cfg.stdConvention(), cfg.delta(), GroupStats.scale(r));
        double[][] answers = new double[k][1];
        for (int i = 0; i < k; i++) {
            answers[i][0] = a[i];
        }
        double std = GroupStats.std(r, cfg.stdConvention());
        boolean zero = GroupStats.allEqual(r);
        return new Advantages(a, answers, r, std, std, zero, zero ? 1 : 0, 1);
    }
}
