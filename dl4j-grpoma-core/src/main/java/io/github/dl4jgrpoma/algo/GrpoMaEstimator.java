package io.github.dl4jgrpoma.algo;

/**
 * GRPO-MA advantages ({@code grpo-ma}), GRPO-MA.md section 3.
 *
 * <pre>
 *   V_i      = (1/M) sum_j R_ij                                    thought value
 *   A_th_i   = (V_i - mean_k V_k) / (std_k V_k + delta)            over the K thoughts
 *   A_ans_ij = (R_ij - mean_kl R_kl) / (std_kl R_kl + delta)       over all K*M answers (PROMPT, default)
 *   A_ans_ij = (R_ij - V_i) / (std_l R_il + delta)                 over the M answers of thought i (THOUGHT)
 * </pre>
 *
 * <p>Std convention and delta come from {@link AdvantageConfig} (defaults: sample std, delta 1e-4). A
 * group whose values are all equal gets advantage exactly 0, also with {@code delta = 0}: at every level
 * (thought values, answers of the prompt, answers of a thought) "all equal" means a spread of at most
 * {@link GroupStats#RELATIVE_TOLERANCE} times the scale, where thought values use the rewards' scale
 * (they are means of rewards, so their rounding is relative to the rewards).
 *
 * <p>Where we fill in the paper: the paper fixes neither the std convention, nor delta, nor (unambiguously)
 * the answer normalisation group; the defaults are documented in {@link AdvantageConfig}. With
 * {@code M = 1} and PROMPT normalisation, {@code A_th_i == A_ans_i1 ==} the {@link GrpoEstimator}
 * advantage, bit for bit (TkA1 is GRPO). {@code K = 1} is accepted when {@code M >= 2}: the single
 * thought then gets {@code A_th = 0} (a one-thought group carries no thought signal) while the answers
 * are still normalised.
 *
 * <p>Needs {@code K*M >= 2}.
 */
public final class GrpoMaEstimator extends ValidatedEstimator {
    /** Registry name. */
    public static final String NAME = "grpo-ma";

    /** The estimator (stateless). */
    public GrpoMaEstimator() {
        super(NAME);
    }

    @Override
    Advantages compute(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
        return MultiAnswerAdvantages.compute(rewards, cfg, true);
    }
}
