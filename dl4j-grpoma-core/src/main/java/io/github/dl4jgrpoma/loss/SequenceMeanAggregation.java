package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

import io.github.dl4jgrpoma.graph.SafeOps;

/**
 * {@code "sequence-mean"}: the paper's per-sequence means (GRPO-MA.md section 3 step 8), the default.
 *
 * <p>With {@code th[b,t]}, {@code ans[b,t]} the 0/1 masks and {@code o[b,t]} the per-token objectives:
 * <pre>
 *   J_th(b)  = sum_t th[b,t] o[b,t]  / max(1, sum_t th[b,t])
 *   J_ans(b) = sum_t ans[b,t] o[b,t] / max(1, sum_t ans[b,t])
 *   L = -[ w_th * sum_b J_th(b)  / max(1, #rows with at least one thought token)
 *         +       sum_b J_ans(b) / max(1, #rows with at least one answer token) ]
 * </pre>
 * A batch packer puts each thought's tokens in exactly one row (so each thought enters once, not M
 * times) and each answer in one row; then the first term is {@code (1/K) sum_i J_clip(th_i)} and the
 * second {@code (1/(K M)) sum_ij J_clip(ans_ij)} of the paper (averaged over the prompts of the batch,
 * since all rows are pooled). Plain GRPO puts the whole response in the answer mask, which gives
 * {@code J = mean over responses of (1/|y|) sum_t ...} exactly. A row may carry both a thought and an
 * answer; it then counts in both terms. Works for every {@code T >= 1} and {@code B >= 1}.
 *
 * <p>Rows holding several sequences (tree packing: a thought and its M answers in one row) need the per-token
 * {@link SequenceWeights} {@code w} ({@link AggregationContext#sequenceWeights()}); then each sequence is its own
 * mean, exactly as with one row per answer:
 * <pre>
 *   J_th = sum_{b,t} th w o / max(1, sum_{b,t} th w),   J_ans = sum_{b,t} ans w o / max(1, sum_{b,t} ans w)
 *   L = -[ w_th * J_th + J_ans ]
 * </pre>
 * ({@code sum th w} is the number of thought sequences, since the weights of a sequence sum to 1.) Departure from the paper: the paper does not publish its
 * thought/answer weighting; {@code w_th} ({@link LossConfig#thoughtWeight()}) makes it explicit.
 */
public final class SequenceMeanAggregation implements LossAggregation {
    /** The registry name. */
    public static final String NAME = "sequence-mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable aggregate(AggregationContext c) {
        SDVariable w = c.sequenceWeights();
        SDVariable thought = w == null ? meanOfRowMeans(c, c.thoughtMask()) : meanOfSequenceMeans(c, c.thoughtMask(), w);
        SDVariable answer = w == null ? meanOfRowMeans(c, c.answerMask()) : meanOfSequenceMeans(c, c.answerMask(), w);
        return thought.mul(c.config().thoughtWeight()).add(answer).neg();
    }

    private static SDVariable meanOfSequenceMeans(AggregationContext c, SDVariable mask, SDVariable weights) {
        SDVariable weighted = mask.mul(weights);
        return c.objective().mul(weighted).sum().div(c.atLeastOne(weighted.sum()));
    }

    private static SDVariable meanOfRowMeans(AggregationContext c, SDVariable mask) {
        // SafeOps.sumAlong, not sum(1): M2.1 throws on a sum over a size-1 dimension (T = 1)
        SDVariable count = SafeOps.sumAlong(c.sd(), c.uniqueName("row_tokens"), mask, 1);            // [B]
        SDVariable rowSum = SafeOps.sumAlong(c.sd(), c.uniqueName("row_sum"), c.objective().mul(mask), 1);
        SDVariable rowMean = rowSum.div(c.atLeastOne(count));                                    // [B]
        SDVariable rows = c.indicator(count).sum();                             // []
        return rowMean.sum().div(c.atLeastOne(rows));
    }
}
