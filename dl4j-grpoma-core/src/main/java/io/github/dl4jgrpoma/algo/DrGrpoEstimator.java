package io.github.dl4jgrpoma.algo;

/**
 * GRPO-MA structure without std scaling ({@code dr-grpo}), after Dr. GRPO (Liu et al., "Understanding
 * R1-Zero-Like Training: A Critical Perspective", 2025), which drops the division by the group std:
 *
 * <pre>
 *   V_i      = (1/M) sum_j R_ij
 *   A_th_i   = V_i - mean_k V_k
 *   A_ans_ij = R_ij - mean_kl R_kl          (PROMPT, default)
 *   A_ans_ij = R_ij - V_i                   (THOUGHT)
 * </pre>
 *
 * <p>With {@code M = 1} this is exactly Dr. GRPO's advantage {@code R_i - mean R}. {@code delta} is not
 * used, nor is {@link AdvantageConfig#scaleRewards()} (this estimator is {@code grpo-ma} with
 * {@link RewardScaling#NONE}); the std convention only affects the reported std metrics. Dr. GRPO's other change (a constant
 * loss normaliser instead of per-response length) belongs to the loss aggregation, not here. Groups whose
 * values are all equal (up to {@link GroupStats#RELATIVE_TOLERANCE} of their scale; thought values at the
 * rewards' scale) get exactly 0. Needs {@code K*M >= 2}.
 */
public final class DrGrpoEstimator extends ValidatedEstimator {
    /** Registry name. */
    public static final String NAME = "dr-grpo";

    /** The estimator (stateless). */
    public DrGrpoEstimator() {
        super(NAME, false);
    }

    @Override
    Advantages compute(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
        return MultiAnswerAdvantages.compute(rewards, cfg, false);
    }
}
