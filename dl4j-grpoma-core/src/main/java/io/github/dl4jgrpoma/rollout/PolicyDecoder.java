package io.github.dl4jgrpoma.rollout;

import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * The part the built-in decoders share: vocabulary size and maximum length come from the policy, and
 * {@link #prefill} checks the prefixes (at least one; each non-empty, at most {@code T} tokens, every token in
 * {@code [0, V)}) before the decoder builds its state.
 */
abstract class PolicyDecoder implements IncrementalDecoder {
    private final PolicyModel model;

    PolicyDecoder(PolicyModel model) {
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
    public final DecodingState prefill(int[][] prefixes) {
        if (prefixes.length == 0) {
            throw new IllegalArgumentException("prefill needs at least one prefix");
        }
        for (int b = 0; b < prefixes.length; b++) {
            checkPrefix(prefixes[b], b, vocabSize(), maxLength());
        }
        return start(prefixes);
    }

    /** The state after consuming checked prefixes (at least one, each valid). */
    abstract DecodingState start(int[][] prefixes);

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
