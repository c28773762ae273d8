package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.SafeOps;

/**
 * The supervised (SFT) loss on a policy graph's next-token logits {@code [B,T,V]}: the mean negative
 * log-likelihood of the masked target tokens,
 * <pre>
 *   logp[b,t] = log_softmax(logits[b,t,:])[y[b,t]]          (SafeOps.logSoftmax x one-hot; no sd.nn.logSoftmax)
 *   L         = - sum_{b,t} mask[b,t] logp[b,t] / max(1, sum mask)
 *   acc       = sum mask [argmax_v logits[b,t,v] = y[b,t]] / max(1, sum mask)     (metric, no gradient)
 * </pre>
 * The mask is 1 on completion tokens only, so prompt tokens (and padding) have no effect on the gradient.
 * The loss is marked as a loss variable; if the graph already has another loss (e.g. the GRPO loss), call
 * {@code sd.setLossVariables(loss)} before training on it (the trainers do).
 *
 * @param targets       INT32 placeholder {@code [B,T]}: next-token ids
 * @param mask          placeholder {@code [B,T]} of the logits' type: 1 where the target is a completion token
 * @param loss          scalar loss output
 * @param tokenAccuracy scalar metric: fraction of masked targets that are the arg-max prediction
 */
public record SftLoss(String targets, String mask, String loss, String tokenAccuracy) {
    /** Default name prefix. */
    public static final String DEFAULT_PREFIX = "sft_";

    /**
     * Attaches the loss under {@code prefix}.
     *
     * @throws IllegalArgumentException if a name with that prefix already exists or the logits are not floating point
     */
    public static SftLoss attach(SameDiff sd, SDVariable logits, int vocabSize, String prefix) {
        if (!logits.dataType().isFPType()) {
            throw new IllegalArgumentException("SftLoss.attach: logits '" + logits.name() + "' have type "
                    + logits.dataType() + "; cast them to FLOAT or DOUBLE");
        }
        if (sd.hasVariable(prefix + "loss") || sd.hasVariable(prefix + "targets")) {
            throw new IllegalArgumentException("SftLoss.attach: the graph already has '" + prefix
                    + "loss'; pass another prefix");
        }
        DataType dt = logits.dataType();
        SDVariable targets = sd.placeHolder(prefix + "targets", DataType.INT32, -1, -1);
        SDVariable mask = sd.placeHolder(prefix + "mask", dt, -1, -1);
        SDVariable logp = SafeOps.stableLogSoftmax(sd, prefix + "log_softmax", logits, 2)
                .mul(SafeOps.oneHot(sd, targets, vocabSize, dt)).sum(2);
        SDVariable count = SafeOps.max(sd, prefix + "count", mask.sum(), sd.constant(Nd4j.scalar(dt, 1.0)));
        SDVariable loss = logp.mul(mask).sum().div(count).neg().rename(prefix + "loss");
        loss.markAsLoss();
        SDVariable hit = sd.argmax(logits, 2).castTo(DataType.INT32).eq(targets).castTo(dt);
        hit.mul(mask).sum().div(count).rename(prefix + "token_acc");
        return new SftLoss(targets.name(), mask.name(), loss.name(), prefix + "token_acc");
    }
}
