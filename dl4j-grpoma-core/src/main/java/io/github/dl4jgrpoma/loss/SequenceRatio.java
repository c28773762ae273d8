package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code "sequence"}: GSPO's sequence-level importance ratio (Zheng et al., "Group Sequence Policy Optimization",
 * arXiv 2507.18071, 2025, eq. 7), applied to each GRPO-MA sequence on its own. A thought and an answer are separate
 * sequences, each with its own length-normalised ratio (the geometric mean of its token ratios):
 * <pre>
 *   s_th[b]  = exp( sum_t th[b,t]  (logp - old) / max(1, sum_t th[b,t]) )
 *   s_ans[b] = exp( sum_t ans[b,t] (logp - old) / max(1, sum_t ans[b,t]) )
 *   r[b,t]   = s_th[b] on thought tokens, s_ans[b] on answer tokens, 1 elsewhere
 * </pre>
 * Every token of a sequence carries the same ratio and (in GRPO-MA packing) the same advantage, so the per-token
 * clip of {@link GrpoLoss} clips the whole sequence at once: sequence-level clipping as in GSPO, and with the
 * {@code "sequence-mean"} aggregation the objective is exactly GSPO's
 * {@code mean_i min(s_i A_i, clip(s_i, 1 - epsLow, 1 + epsHigh) A_i)}. GSPO clips far tighter than PPO (the paper
 * uses {@code epsLow = 3e-4}, {@code epsHigh = 4e-4}); the clip range stays the user's choice
 * ({@link LossConfig#epsLow()}). With the policy not moved ({@code logp = old}) the loss and its gradient equal the
 * token-level ones. Requires one sequence per mask per row (as {@code BatchPacker} packs: at most one thought and one
 * answer per row).
 */
public final class SequenceRatio implements ImportanceRatio {
    /** The registry name. */
    public static final String NAME = "sequence";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable logRatio(RatioContext c) {
        return sequenceLogRatio(c);
    }

    /** {@code th * log s_th + ans * log s_ans}, {@code [B,T]}. */
    static SDVariable sequenceLogRatio(RatioContext c) {
        SDVariable th = c.segmentMean(c.tokenLogRatio(), c.thoughtMask(), "gspo_thought");
        SDVariable ans = c.segmentMean(c.tokenLogRatio(), c.answerMask(), "gspo_answer");
        return th.add(ans);
    }
}
