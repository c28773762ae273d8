package io.github.dl4jgrpoma.rollout;

import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * Decoder for any {@link PolicyModel}: after every appended token it runs the model's full forward pass
 * ({@link PolicyModel#forward}) on each active row's whole sequence, right-padded to {@code T}, and reads the
 * logits at the row's last position. Correct for every causal model; each step costs a full {@code [rows, T]}
 * forward, so it is the slow fallback when no incremental decoder is available.
 */
public final class RecomputeDecoder implements IncrementalDecoder {
    private final PolicyModel policy;

    public RecomputeDecoder(PolicyModel policy) {
        this.policy = policy;
    }

    @Override
    public int vocabSize() {
        return policy.vocabSize();
    }

    @Override
    public int maxLength() {
        return policy.maxLength();
    }

    @Override
    public DecodingState prefill(int[][] prefixes) {
        if (prefixes.length == 0) {
            throw new IllegalArgumentException("prefill needs at least one prefix");
        }
        for (int b = 0; b < prefixes.length; b++) {
            checkPrefix(prefixes[b], b, vocabSize(), maxLength());
        }
        return new RecomputeState(policy, prefixes);
    }

    static void checkPrefix(int[] prefix, int row, int vocab, int maxLength) {
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
