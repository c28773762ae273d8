package io.github.dl4jgrpoma.train;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * A rollout batch packed into the loss placeholders of {@link io.github.dl4jgrpoma.loss.GrpoLoss}: one row per
 * (prompt, thought, answer) of the prompts that were kept ({@link RowPacking#PER_ANSWER}), or one per (prompt,
 * thought) holding the thought and its answers ({@link RowPacking#TREE}). All arrays are {@code [R,T]} ({@code [R,L]}
 * for tree rows, L the longest row); position {@code t} of a row predicts the next token of its sequence. Produced by
 * {@link BatchPacker}; the arrays belong to the caller.
 *
 * @param input        model input: token ids {@code [R,T]} (INT32, the sequence's first T tokens, right-padded with
 *                     the pad id) and the conditioning arrays of each row's prompt {@code [R, ...]}; tree rows also
 *                     carry position ids and the tree attention mask
 * @param targets      next-token ids (INT32): {@code sequence[t + 1]}, pad beyond the sequence
 * @param thoughtMask  1 where the target is a sampled thought token carrying its thought advantage, else 0
 * @param answerMask   1 where the target is a sampled answer token (COUPLED: any sampled response token)
 * @param advantages   advantage of the target token where a mask is 1, else 0
 * @param oldLogProbs  sampling log-prob of the target token where a mask is 1, else 0
 * @param rowPrompt    prompt index (in the rollout batch) of every row
 * @param rowThought   thought index of every row
 * @param rowAnswer    answer index of every row (-1 for a tree row, which holds all answers of its thought)
 * @param lossTokens   number of positions with a mask set (thought + answer)
 * @param sequenceWeights {@link io.github.dl4jgrpoma.loss.SequenceWeights}: {@code 1 / (loss tokens of the sequence)}
 *                     at every loss token, else 0
 */
public record PackedBatch(PolicyInput input, INDArray targets, INDArray thoughtMask, INDArray answerMask,
                          INDArray advantages, INDArray oldLogProbs, int[] rowPrompt, int[] rowThought,
                          int[] rowAnswer, long lossTokens, INDArray sequenceWeights) {

    /** Rows of one sequence each; the sequence weights are {@link io.github.dl4jgrpoma.loss.SequenceWeights#perRow}. */
    public PackedBatch(PolicyInput input, INDArray targets, INDArray thoughtMask, INDArray answerMask,
                       INDArray advantages, INDArray oldLogProbs, int[] rowPrompt, int[] rowThought,
                       int[] rowAnswer, long lossTokens) {
        this(input, targets, thoughtMask, answerMask, advantages, oldLogProbs, rowPrompt, rowThought, rowAnswer,
                lossTokens, io.github.dl4jgrpoma.loss.SequenceWeights.perRow(thoughtMask, answerMask));
    }

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
