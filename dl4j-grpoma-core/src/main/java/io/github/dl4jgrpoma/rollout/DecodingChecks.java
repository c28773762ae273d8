package io.github.dl4jgrpoma.rollout;

/** Argument checks shared by {@link DecodingState} implementations (built-in and user decoders). */
public final class DecodingChecks {
    private DecodingChecks() {
    }

    /** {@link DecodingState#append}: one token and one flag per row. */
    public static void checkAppend(int rows, int[] tokens, boolean[] active) {
        if (tokens.length != rows || active.length != rows) {
            throw new IllegalArgumentException("append needs " + rows + " tokens and flags, got " + tokens.length
                    + " and " + active.length);
        }
    }

    /** {@link DecodingState#fork}: at least one index, each a row in {@code [0, rows)}. */
    public static void checkFork(int rows, int[] idx) {
        if (idx.length == 0) {
            throw new IllegalArgumentException("fork: no rows; give at least one row index in [0, " + rows + ")");
        }
        for (int i : idx) {
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("fork: row " + i + " outside [0, " + rows + ")");
            }
        }
    }

    /** {@link DecodingState#fork(int[], int)}: the hint is not negative. */
    public static void checkAppends(int maxAppends) {
        if (maxAppends < 0) {
            throw new IllegalArgumentException("fork: maxAppends = " + maxAppends + "; give the number of appends that"
                    + " will follow (>= 0)");
        }
    }

    /**
     * {@link IncrementalDecoder#prefill}: at least one prefix; each non-empty, at most {@code maxLength} tokens,
     * every token in {@code [0, vocab)}.
     */
    public static void checkPrefixes(int[][] prefixes, int vocab, int maxLength) {
        if (prefixes.length == 0) {
            throw new IllegalArgumentException("prefill needs at least one prefix");
        }
        for (int row = 0; row < prefixes.length; row++) {
            int[] prefix = prefixes[row];
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
}
