package io.github.dl4jgrpoma.rollout;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * Base class of decoders backed by a {@link PolicyModel}: the part the built-in decoders share: vocabulary size and maximum length come from the policy, and
 * {@link #prefill} checks the prefixes (at least one; each non-empty, at most {@code T} tokens, every token in
 * {@code [0, V)}) and the conditioning (the model's names, one row per prefix) before the decoder builds its
 * state. Extend it for a model's own decoder and implement {@link #start}.
 */
public abstract class PolicyDecoder implements IncrementalDecoder {
    private final PolicyModel model;

    protected PolicyDecoder(PolicyModel model) {
        this.model = model;
    }

    @Override
    public final int vocabSize() {
        return model.vocabSize();
    }

    @Override
    public final int maxLength() {
        return model.maxLength();
    }

    @Override
    public final DecodingState prefill(int[][] prefixes, Map<String, INDArray> conditioning) {
        if (prefixes.length == 0) {
            throw new IllegalArgumentException("prefill needs at least one prefix");
        }
        for (int b = 0; b < prefixes.length; b++) {
            checkPrefix(prefixes[b], b, vocabSize(), maxLength());
        }
        if (!conditioning.keySet().equals(model.conditioningNames())) {
            throw new IllegalArgumentException("prefill: the policy takes conditioning " + model.conditioningNames()
                    + " but got " + conditioning.keySet() + "; give every prompt exactly the model's conditioning arrays");
        }
        conditioning.forEach((name, a) -> {
            if (a.rank() == 0 || a.size(0) != prefixes.length) {
                throw new IllegalArgumentException("prefill: conditioning '" + name + "' has shape " + java.util.Arrays.toString(a.shape())
                        + "; it needs one row per prefix, [" + prefixes.length + ", ...]");
            }
        });
        return start(prefixes, conditioning);
    }

    /** The model this decoder runs. */
    protected PolicyModel model() {
        return model;
    }

    /**
     * The state after consuming checked prefixes (at least one, each valid) with checked conditioning
     * ({@code [prefixes.length, ...]} per name of the model's conditioning).
     */
    protected abstract DecodingState start(int[][] prefixes, Map<String, INDArray> conditioning);

    private static void checkPrefix(int[] prefix, int row, int vocab, int maxLength) {
        if (prefix == null || prefix.length == 0) {
            throw new IllegalArgumentException("prefix " + row + " is empty; start every sequence with at least one token (e.g. BOS)");
        }
        if (prefix.length > maxLength) {
            throw new IllegalArgumentException("prefix " + row + " has " + prefix.length + " tokens, more than the model's maximum length "
                    + maxLength);
        }
        for (int i = 0; i < prefix.length; i++) {
            if (prefix[i] < 0 || prefix[i] >= vocab) {
                throw new IllegalArgumentException("prefix " + row + " token " + i + " = " + prefix[i] + " is outside [0, " + vocab + ")");
            }
        }
    }
}
