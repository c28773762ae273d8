package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A named way to form the importance ratio {@code r[b,t]} of the clipped surrogate from the per-token log-ratios
 * {@code log pi_theta - log pi_old}. Registered by name in an {@link ImportanceRatioRegistry} and selected by
 * {@link LossConfig#importanceRatio()}. Built-ins: {@link TokenRatio} ({@code "token"}, PPO / GRPO, the default),
 * {@link SequenceRatio} ({@code "sequence"}, GSPO) and {@link SequenceTokenRatio} ({@code "sequence-token"},
 * GSPO-token).
 *
 * <p>Contract: return the <em>log</em> of the ratio, shape {@code [B,T]}, exactly 0 (with zero gradient) wherever
 * both masks are 0, so {@link GrpoLoss} can take {@code exp} safely; clipping, advantages and aggregation stay in
 * {@link GrpoLoss}. Use only ops with correct M2.1 gradients ({@code io.github.dl4jgrpoma.graph.SafeOps}). Pure graph
 * construction: no IO, no randomness.
 */
public interface ImportanceRatio {

    /** The registry key, for example {@code "sequence"}. */
    String name();

    /**
     * Builds {@code log r[b,t]}.
     *
     * @return a {@code [B,T]} variable of the log-ratios' data type, 0 at masked positions
     */
    SDVariable logRatio(RatioContext context);
}
