package io.github.dl4jgrpoma.train;

import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Replaces a packed batch's old log-probs by recomputed ones ({@link OldLogProbs#RECOMPUTE}) and measures how far the
 * rollout's own log-probs were from them, over the loss tokens (thought + answer masks).
 */
final class RolloutDrift {
    private RolloutDrift() {
    }

    /**
     * @param fresh   the policy's log-probs of the targets {@code [R,T]} from a forward pass over the packed rows
     * @param metrics receives {@code rollout/logprob_diff_max}, {@code rollout/logprob_diff_mean} (|recomputed -
     *                rollout|, nats) and, for the on-policy check, {@code ratio/mean} and {@code approx_kl} of the
     *                ratio {@code exp(recomputed - rollout)}; all 0 when the batch has no loss token
     * @return the batch with {@code oldLogProbs = fresh} on loss tokens and 0 elsewhere (as {@link BatchPacker} packs)
     */
    static PackedBatch withOldLogProbs(PackedBatch packed, INDArray fresh, Map<String, Double> metrics) {
        INDArray mask = packed.thoughtMask().add(packed.answerMask()).castTo(DataType.DOUBLE);
        INDArray rollout = packed.oldLogProbs().castTo(DataType.DOUBLE);
        INDArray recomputed = fresh.castTo(DataType.DOUBLE).muli(mask);
        double n = mask.sumNumber().doubleValue();
        INDArray d = recomputed.sub(rollout).muli(mask);
        INDArray r = Transforms.exp(d, true);
        INDArray k3 = r.sub(1.0).subi(d).muli(mask);
        metrics.put("rollout/logprob_diff_max", n == 0 ? 0 : Transforms.abs(d, true).maxNumber().doubleValue());
        metrics.put("rollout/logprob_diff_mean", n == 0 ? 0 : Transforms.abs(d, true).sumNumber().doubleValue() / n);
        metrics.put("ratio/mean", n == 0 ? 1 : r.muli(mask).sumNumber().doubleValue() / n);
        metrics.put("approx_kl", n == 0 ? 0 : k3.sumNumber().doubleValue() / n);
        INDArray old = recomputed.castTo(packed.oldLogProbs().dataType());
        return new PackedBatch(packed.input(), packed.targets(), packed.thoughtMask(), packed.answerMask(),
                packed.advantages(), old, packed.rowPrompt(), packed.rowThought(), packed.rowAnswer(),
                packed.lossTokens(), packed.sequenceWeights());
    }
}
