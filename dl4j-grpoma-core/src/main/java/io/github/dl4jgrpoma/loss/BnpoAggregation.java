package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code "bnpo"} (batch-normalised policy optimisation, TRL's {@code loss_type="bnpo"}; Xiao et al., "BNPO: Beta
 * Normalization Policy Optimization", arXiv 2506.02864, 2025): the objective summed over the loss-carrying tokens
 * and divided by the active tokens of the <em>local</em> batch, the rows one forward pass sees:
 * <pre>
 *   L_local = - sum_{b,t} (w_th th[b,t] + ans[b,t]) o[b,t] / max(1, sum_{b,t} (th[b,t] + ans[b,t]))
 * </pre>
 * On one graph evaluation this is the {@code "token-mean"} formula; the two differ in how local batches combine.
 * {@code "token-mean"} (DAPO) normalises by the active tokens of the whole step (the trainer weights each chunk by
 * its token share, so chunking changes nothing), whereas {@code "bnpo"} averages the local batches' losses with equal
 * weights ({@code GrpoMaTrainer} treats each update chunk as one local batch, as TRL treats each per-device
 * micro-batch under gradient accumulation). Its result therefore depends on the chunk size
 * ({@code GrpoMaTrainerBuilder.updateChunkTokens}), as TRL's depends on the per-device batch size; with one chunk it
 * equals {@code "token-mean"}.
 */
public final class BnpoAggregation implements LossAggregation {
    /** The registry name. */
    public static final String NAME = "bnpo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable aggregate(AggregationContext c) {
        return TokenMeanAggregation.meanOverLossTokens(c).neg();
    }
}
