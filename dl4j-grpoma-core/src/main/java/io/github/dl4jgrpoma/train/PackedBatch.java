package io.github.dl4jgrpoma.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * A rollout batch packed into the loss placeholders of {@link io.github.dl4jgrpoma.loss.GrpoLoss}, one row per
 * (prompt, thought, answer) of the prompts that were kept. All arrays are {@code [R,T]}; position {@code t} of a
 * row predicts token {@code t + 1} of its sequence. Produced by {@link BatchPacker}; the arrays belong to the
 * caller.
 *
 * @param input        model input: token ids {@code [R,T]} (INT32, the sequence's first T tokens, right-padded with
 *                     the pad id) and the conditioning arrays of each row's prompt {@code [R, ...]}
 * @param targets      next-token ids (INT32): {@code sequence[t + 1]}, pad beyond the sequence
 * @param thoughtMask  1 where the target is a sampled thought token carrying its thought advantage, else 0
 * @param answerMask   1 where the target is a sampled answer token (COUPLED: any sampled response token)
 * @param advantages   advantage of the target token where a mask is 1, else 0
 * @param oldLogProbs  sampling log-prob of the target token where a mask is 1, else 0
 * @param rowPrompt    prompt index (in the rollout batch) of every row
 * @param rowThought   thought index of every row
 * @param rowAnswer    answer index of every row
 * @param lossTokens   number of positions with a mask set (thought + answer)
 */
public record PackedBatch(PolicyInput input, INDArray targets, INDArray thoughtMask, INDArray answerMask,
                          INDArray advantages, INDArray oldLogProbs, int[] rowPrompt, int[] rowThought,
                          int[] rowAnswer, long lossTokens) {

    /** Token ids {@code [R,T]} of the input. */
    public INDArray tokens() {
        return input.tokens();
    }

    /** Number of rows R. */
    public int rows() {
        return rowPrompt.length;
    }

    /** A copy of the prompt index of every row. */
    @Override
    public int[] rowPrompt() {
        return rowPrompt.clone();
    }

    /** A copy of the thought index of every row. */
    @Override
    public int[] rowThought() {
        return rowThought.clone();
    }

    /** A copy of the answer index of every row. */
    @Override
    public int[] rowAnswer() {
        return rowAnswer.clone();
    }
}
