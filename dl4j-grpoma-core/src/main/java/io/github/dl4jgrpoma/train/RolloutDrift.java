package io.github.dl4jgrpoma.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A packed batch whose old log-probs were replaced by recomputed ones ({@link OldLogProbs#RECOMPUTE}), and how far the
 * rollout's own log-probs were from them over the loss tokens (thought + answer masks); all statistics are 0 (ratio
 * 1) when the batch has no loss token.
 *
 * @param packed      the batch with {@code oldLogProbs} = the recomputed log-probs on loss tokens, 0 elsewhere (as
 *                    {@link BatchPacker} packs)
 * @param diffMax     max |recomputed - rollout| (nats): metric {@code rollout/logprob_diff_max}
 * @param diffMean    mean |recomputed - rollout| (nats): metric {@code rollout/logprob_diff_mean}
 * @param ratioMean   mean of {@code exp(recomputed - rollout)}, for the first-step {@link OnPolicyCheck}
 * @param approxKl    mean of {@code r - 1 - log r} of that ratio, for the same check
 */
record RolloutDrift(PackedBatch packed, double diffMax, double diffMean, double ratioMean, double approxKl) {

    /**
     * @param fresh the policy's log-probs of the targets {@code [R,T]} from a forward pass over the packed rows
     */
    static RolloutDrift of(PackedBatch packed, INDArray fresh) {
        INDArray mask = packed.thoughtMask().add(packed.answerMask()).castTo(DataType.DOUBLE);
        INDArray recomputed = onLossTokens(fresh, packed.thoughtMask(), packed.answerMask());
        double n = mask.sumNumber().doubleValue();
        INDArray d = recomputed.sub(packed.oldLogProbs().castTo(DataType.DOUBLE)).muli(mask);
        INDArray abs = Transforms.abs(d, true);
        INDArray r = Transforms.exp(d, true);
        double k3 = r.sub(1.0).subi(d).muli(mask).sumNumber().doubleValue();
        PackedBatch replaced = new PackedBatch(packed.input(), packed.targets(), packed.thoughtMask(), packed.answerMask(),
                packed.advantages(), recomputed.castTo(packed.oldLogProbs().dataType()), packed.rowPrompt(),
                packed.rowThought(), packed.rowAnswer(), packed.lossTokens(), packed.sequenceWeights());
        if (n == 0) {
            return new RolloutDrift(replaced, 0, 0, 1, 0);
        }
        return new RolloutDrift(replaced, abs.maxNumber().doubleValue(), abs.sumNumber().doubleValue() / n,
                r.muli(mask).sumNumber().doubleValue() / n, k3 / n);
    }

    /**
     * The recomputed log-probs {@code [R,T]} on the loss tokens (thought + answer masks), 0 elsewhere, in double: what
     * the update's loss gets as old log-probs (cast to their type).
     */
    static INDArray onLossTokens(INDArray fresh, INDArray thoughtMask, INDArray answerMask) {
        return fresh.castTo(DataType.DOUBLE).muli(thoughtMask.add(answerMask).castTo(DataType.DOUBLE));
    }
}
