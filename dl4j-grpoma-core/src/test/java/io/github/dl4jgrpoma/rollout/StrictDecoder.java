package io.github.dl4jgrpoma.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Test helper: a decoder around another whose states refuse any use after {@link DecodingState#close()} (and pass
 * the close on), recording every state it made, how often each was closed and how many forks dropped rows
 * (compactions), to check that {@link RolloutEngine} never uses a closed state and closes each one exactly once.
 */
public final class StrictDecoder implements IncrementalDecoder {
    private final IncrementalDecoder inner;
    /** The inner decoder's states, in the order they were made. */
    public final List<DecodingState> innerStates = new ArrayList<>();
    /** How often each state (same order) was closed. */
    public final List<int[]> closes = new ArrayList<>();
    /** Forks to fewer rows than their source. */
    public int compactions;

    public StrictDecoder(IncrementalDecoder inner) {
        this.inner = inner;
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public int maxLength() {
        return inner.maxLength();
    }

    @Override
    public DecodingState prefill(int[][] prefixes, Map<String, INDArray> conditioning) {
        return wrap(inner.prefill(prefixes, conditioning));
    }

    private DecodingState wrap(DecodingState s) {
        int[] closed = {0};
        innerStates.add(s);
        closes.add(closed);
        return new DecodingState() {
            private void check() {
                if (closed[0] > 0) {
                    throw new IllegalStateException("used after close");
                }
            }

            @Override
            public int rows() {
                check();
                return s.rows();
            }

            @Override
            public int length(int row) {
                check();
                return s.length(row);
            }

            @Override
            public INDArray nextLogits() {
                check();
                return s.nextLogits();
            }

            @Override
            public void append(int[] tokens, boolean[] active) {
                check();
                s.append(tokens, active);
            }

            @Override
            public DecodingState fork(int[] rows) {
                check();
                compactions += rows.length < s.rows() ? 1 : 0;
                return wrap(s.fork(rows));
            }

            @Override
            public DecodingState fork(int[] rows, int maxAppends) {
                check();
                compactions += rows.length < s.rows() ? 1 : 0;
                return wrap(s.fork(rows, maxAppends));
            }

            @Override
            public void close() {
                closed[0]++;
                s.close();
            }
        };
    }
}
