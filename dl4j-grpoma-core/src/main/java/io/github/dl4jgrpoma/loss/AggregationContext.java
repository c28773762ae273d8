package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.SafeOps;

/**
 * What a {@link LossAggregation} receives from {@link GrpoLoss}.
 *
 * @param sd          the graph being extended
 * @param objective   per-token objective {@code o[b,t] = surrogate - beta * kl}, shape {@code [B,T]}; it is
 *                    already exactly 0 (with zero gradient) wherever both masks are 0
 * @param thoughtMask 0/1 mask of thought tokens that carry loss, {@code [B,T]}
 * @param answerMask  0/1 mask of answer tokens that carry loss, {@code [B,T]}, disjoint from the thought mask
 * @param config      the loss configuration (thought weight, constant normaliser, ...)
 * @param prefix      the prefix of the names {@link GrpoLoss} adds; see {@link #uniqueName}
 * @param sequenceWeights per-token weights {@code [B,T]} when a row may hold several sequences (see
 *                    {@link SequenceWeights}), or null when every row holds at most one thought and one answer
 *                    sequence; only aggregations that average per sequence need it
 */
public record AggregationContext(SameDiff sd, SDVariable objective, SDVariable thoughtMask, SDVariable answerMask,
                                 LossConfig config, String prefix, SDVariable sequenceWeights) {

    /** A context for rows of one sequence each (no sequence weights). */
    public AggregationContext(SameDiff sd, SDVariable objective, SDVariable thoughtMask, SDVariable answerMask,
                              LossConfig config, String prefix) {
        this(sd, objective, thoughtMask, answerMask, config, prefix, null);
    }

    /**
     * A variable name {@code prefix + base + "_" + i} not yet used in the graph (smallest {@code i >= 0}).
     * Pass explicit names to {@link SafeOps}: with a null name it asks SameDiff for a fixed default name,
     * which fails the second time in the same graph.
     */
    public String uniqueName(String base) {
        return uniqueName(sd, prefix + base);
    }

    static String uniqueName(SameDiff sd, String base) {
        int i = 0;
        while (sd.hasVariable(base + "_" + i)) {
            i++;
        }
        return base + "_" + i;
    }

    /**
     * {@code sum_{b,t} (w_th th[b,t] + ans[b,t]) o[b,t]}, a scalar: the objective summed over the
     * loss-carrying tokens, thought tokens weighted by {@link LossConfig#thoughtWeight()}.
     */
    SDVariable weightedTokenSum() {
        SDVariable weights = thoughtMask.mul(config.thoughtWeight()).add(answerMask);
        return objective.mul(weights).sum();
    }

    /** A scalar constant of the objective's data type. */
    public SDVariable scalar(double value) {
        return sd.constant(Nd4j.scalar(objective.dataType(), value));
    }

    /**
     * {@code max(x, 1)} element-wise with {@link SafeOps#max} (correct gradient; guards divisions by
     * token or row counts that may be 0).
     */
    public SDVariable atLeastOne(SDVariable x) {
        return SafeOps.max(sd, uniqueName("at_least_one"), x, scalar(1.0));
    }

    /**
     * {@code min(count, 1)} element-wise with {@link SafeOps#min}: for a count of 0/1 mask entries it is 1
     * when the count is at least 1 and 0 otherwise.
     */
    public SDVariable indicator(SDVariable count) {
        return SafeOps.min(sd, uniqueName("indicator"), count, scalar(1.0));
    }
}
