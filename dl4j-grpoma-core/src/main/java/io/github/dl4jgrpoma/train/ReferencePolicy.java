package io.github.dl4jgrpoma.train;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * The frozen reference policy of the KL penalty: a separate SameDiff graph loaded from a saved copy of the
 * policy's weights at construction time, extended with
 * {@code refLogp[b,t] = log_softmax(logits[b,t,:] / temperature)[targets[b,t]]} and only ever run forward.
 * The temperature matches the trainer's loss, so at the first step the reference KL is 0.
 */
final class ReferencePolicy {
    static final String TARGETS = "ref_targets";
    static final String TOKEN_LOGP = "ref_token_logprobs";

    private final SameDiff sd;

    private ReferencePolicy(SameDiff sd) {
        this.sd = sd;
    }

    /** A frozen copy of the policy's current weights. */
    static ReferencePolicy copyOf(PolicyModel policy, double temperature) {
        File tmp = null;
        try {
            tmp = Files.createTempFile("dl4j-grpoma-reference", ".sd").toFile();
            policy.sameDiff().save(tmp, false);
            SameDiff ref = SameDiff.load(tmp, false);
            SDVariable logits = ref.getVariable(policy.logitsName());
            if (temperature != 1.0) {
                logits = logits.div(temperature);
            }
            SDVariable targets = ref.placeHolder(TARGETS, DataType.INT32, -1, -1);
            SDVariable logp = SafeOps.stableLogSoftmax(ref, "ref_log_softmax", logits, 2);
            logp.mul(SafeOps.oneHot(ref, targets, policy.vocabSize(), logits.dataType())).sum(2).rename(TOKEN_LOGP);
            return new ReferencePolicy(ref);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the temporary copy of the reference policy: " + e, e);
        } finally {
            if (tmp != null && !tmp.delete()) {
                tmp.deleteOnExit();
            }
        }
    }

    /** The reference model's live arrays of the given parameter names (for restoring a checkpoint in place). */
    Map<String, INDArray> parameters(java.util.List<String> names) {
        Map<String, INDArray> out = new java.util.LinkedHashMap<>();
        for (String name : names) {
            out.put(name, sd.getVariable(name).getArr());
        }
        return out;
    }

    /** The reference graph (for checkpoints). */
    SameDiff sameDiff() {
        return sd;
    }

    /**
     * Reference log-probs of the targets, {@code [R,T]}, in one batched forward pass.
     *
     * @param policyFeed the policy's placeholders for the rows ({@code PolicyModel.feed}); the copy has the same names
     * @param targets    next-token ids {@code [R,T]}
     */
    INDArray tokenLogProbs(Map<String, INDArray> policyFeed, INDArray targets) {
        Map<String, INDArray> feed = new HashMap<>(policyFeed);
        feed.put(TARGETS, targets);
        return sd.output(feed, TOKEN_LOGP).get(TOKEN_LOGP);
    }
}
