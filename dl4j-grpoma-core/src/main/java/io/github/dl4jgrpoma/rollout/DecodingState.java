package io.github.dl4jgrpoma.rollout;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mutable decoding state of a batch of rows, produced by {@link IncrementalDecoder#prefill}.
 * Not thread-safe; a state is used by one rollout at a time.
 */
public interface DecodingState extends AutoCloseable {

    /** Number of rows. */
    int rows();

    /** Tokens consumed so far by row {@code row} (prefix plus appended tokens). */
    int length(int row);

    /**
     * Logits {@code [rows, V]} of the next token of every row, given everything the row consumed. The array
     * belongs to the state and is replaced by the next {@link #append}; copy it to keep it.
     */
    INDArray nextLogits();

    /**
     * Appends {@code tokens[b]} to every row {@code b} with {@code active[b]}; other rows are left exactly as
     * they are (their token is ignored and their {@link #nextLogits()} row does not change).
     *
     * @throws IllegalArgumentException if the arrays do not have {@link #rows()} entries, an active token is
     *                                  outside {@code [0, V)} or an active row would exceed the maximum length
     */
    void append(int[] tokens, boolean[] active);

    /**
     * A new, independent state whose row {@code i} is a copy of row {@code rows[i]} of this one (indices may
     * repeat: {@code {0,0,1,1}} branches every row twice). This state is unchanged.
     *
     * @throws IllegalArgumentException if {@code rows} is empty or an index is outside {@code [0, rows())} (the
     *                                  built-in decoders; checked by {@link DecodingChecks#checkFork})
     */
    DecodingState fork(int[] rows);

    /**
     * {@link #fork(int[])} with a hint: at most {@code maxAppends} {@link #append} calls will follow on the new state
     * (more still work, perhaps slower). A decoder may use it to size its caches, or to keep one copy of what branches
     * of the same row share: the built-in transformer's decoder does for {@code {0,0,1,1}}-style forks whose branches
     * add few tokens (GRPO-MA's M answers per thought). The default ignores the hint.
     *
     * @throws IllegalArgumentException if {@code maxAppends < 0}, {@code rows} is empty or an index is outside
     *                                  {@code [0, rows())}
     */
    default DecodingState fork(int[] rows, int maxAppends) {
        DecodingChecks.checkAppends(maxAppends);
        return fork(rows);
    }

    /**
     * Releases the state's memory now rather than when the GC finds it (the built-in transformer's decoder frees its
     * key/value caches); the state must not be used afterwards (implementations may throw {@link IllegalStateException}).
     * States forked from it are independent and stay usable, so {@link #fork} must return a new object: the
     * {@link RolloutEngine} closes a state once it has forked what it needs from it. The default does nothing.
     */
    @Override
    default void close() {
    }
}
