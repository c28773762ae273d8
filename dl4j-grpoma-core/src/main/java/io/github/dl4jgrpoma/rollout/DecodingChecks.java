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

    /** {@link DecodingState#fork}: every index is a row in {@code [0, rows)}. */
    public static void checkFork(int rows, int[] idx) {
        for (int i : idx) {
            if (i < 0 || i >= rows) {
                throw new IllegalArgumentException("fork: row " + i + " outside [0, " + rows + ")");
            }
        }
    }
}
