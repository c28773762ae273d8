package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import io.github.dl4jgrpoma.graph.SafeOps;

/**
 * What an {@link ImportanceRatio} receives from {@link GrpoLoss}.
 *
 * @param sd          the graph being extended
 * @param tokenLogRatio per-token {@code (log pi_theta - log pi_old) * m}, {@code [B,T]}; exactly 0 where
 *                    {@code m = thought + answer = 0}
 * @param thoughtMask 0/1 mask of thought tokens that carry loss, {@code [B,T]}
 * @param answerMask  0/1 mask of answer tokens that carry loss, {@code [B,T]}
 * @param prefix      the prefix of the names {@link GrpoLoss} adds
 */
public record RatioContext(SameDiff sd, SDVariable tokenLogRatio, SDVariable thoughtMask, SDVariable answerMask,
                           String prefix) {

    /**
     * The length-normalised sequence log-ratio of one segment, spread back over its tokens:
     * {@code mask[b,t] * (sum_t' mask[b,t'] x[b,t'] / max(1, sum_t' mask[b,t']))}, {@code [B,T]}. A segment is the
     * tokens of one row under one mask (a thought, or an answer); a row without such tokens gives 0.
     *
     * @param x    per-token values {@code [B,T]}, 0 where the mask is 0
     * @param mask 0/1 segment mask {@code [B,T]}
     * @param base name stem of the intermediate variables
     */
    public SDVariable segmentMean(SDVariable x, SDVariable mask, String base) {
        // SafeOps.sumAlong, not sum(1): M2.1 throws on a sum over a size-1 dimension (T = 1)
        SDVariable count = SafeOps.sumAlong(sd, uniqueName(base + "_tokens"), mask, 1);                 // [B]
        SDVariable total = SafeOps.sumAlong(sd, uniqueName(base + "_sum"), x.mul(mask), 1);              // [B]
        SDVariable atLeastOne = SafeOps.max(sd, uniqueName(base + "_at_least_one"), count,
                sd.onesLike(count));
        SDVariable mean = total.div(atLeastOne);                                                          // [B]
        return mask.mul(sd.expandDims(mean, 1));                                                          // [B,T]
    }

    /** A variable name {@code prefix + base + "_" + i} not yet used in the graph. */
    public String uniqueName(String base) {
        return AggregationContext.uniqueName(sd, prefix + base);
    }
}
