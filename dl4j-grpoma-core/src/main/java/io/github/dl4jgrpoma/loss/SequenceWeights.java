package io.github.dl4jgrpoma.loss;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Per-token sequence weights {@code w[b,t]}, the placeholder {@link LossGraph#sequenceWeights()} of a loss attached for
 * rows that hold several sequences (tree packing: a thought and its M answers in one row). At every loss token
 * ({@code th + ans = 1}) {@code w = 1 / (number of loss tokens of the sequence the token belongs to)}, 0 elsewhere;
 * so the weights of one sequence sum to 1, {@code sum_t mask w} counts sequences and {@code sum_t mask w o} sums
 * their means ({@link SequenceMeanAggregation}). Pure.
 */
public final class SequenceWeights {
    private SequenceWeights() {
    }

    /**
     * The weights of rows holding at most one thought sequence and one answer sequence each (one row per answer):
     * {@code th[b,t] / max(1, sum_t th[b,t]) + ans[b,t] / max(1, sum_t ans[b,t])}.
     *
     * @param thoughtMask 0/1 {@code [R,T]}
     * @param answerMask  0/1 {@code [R,T]}, disjoint from the thought mask
     * @return {@code [R,T]} of the masks' data type
     */
    public static INDArray perRow(INDArray thoughtMask, INDArray answerMask) {
        return normalisedRows(thoughtMask).addi(normalisedRows(answerMask));
    }

    private static INDArray normalisedRows(INDArray mask) {
        return mask.divColumnVector(Transforms.max(mask.sum(true, 1), 1.0));           // [R,T] / [R,1]
    }
}
