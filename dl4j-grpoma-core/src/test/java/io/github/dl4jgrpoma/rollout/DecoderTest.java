package io.github.dl4jgrpoma.rollout;

import io.github.dl4jgrpoma.transformer.KvCacheDecoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Both decoders against the full SameDiff forward pass of {@link TransformerPolicy} (float, 1e-5), at every
 * position, for rows of different lengths, inactive rows and answers branched from a forked thought state.
 */
class DecoderTest {
    private static final int V = 13;
    private static final int T = 12;
    private static final TransformerPolicy POLICY = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V)
            .width(16).layers(2).heads(2).maxLength(T).seed(17).initStd(0.3).build());

    static Stream<Arguments> decoders() {
        return Stream.of(Arguments.of("kv-cache", new KvCacheDecoder(POLICY)),
                Arguments.of("recompute", new RecomputeDecoder(POLICY)));
    }

    /** Full-forward logits {@code [T, V]} of one sequence (right-padded with token 0). */
    private static INDArray full(int[] seq) {
        int[][] padded = {Arrays.copyOf(seq, T)};
        return POLICY.forward(Nd4j.createFromArray(padded)).get(point(0), all(), all());
    }

    private static void assertRowEquals(INDArray expected, INDArray actual, String what) {
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5, what + ": max |diff| = " + diff);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void logitsEqualTheFullForwardAtEveryPosition(String name, IncrementalDecoder decoder) {
        Random r = new Random(5);
        int[][] seqs = new int[3][T];
        for (int[] s : seqs) {
            for (int i = 0; i < T; i++) {
                s[i] = r.nextInt(V);
            }
        }
        INDArray[] expected = {full(seqs[0]), full(seqs[1]), full(seqs[2])};
        int[] len = {1, 4, 7};
        DecodingState st = decoder.prefill(new int[][] {Arrays.copyOf(seqs[0], 1), Arrays.copyOf(seqs[1], 4),
                Arrays.copyOf(seqs[2], 7)});
        int checked = 0;
        while (true) {
            boolean[] active = new boolean[3];
            int[] tok = new int[3];
            for (int b = 0; b < 3; b++) {
                assertEquals(len[b], st.length(b));
                assertRowEquals(expected[b].getRow(len[b] - 1), st.nextLogits().getRow(b), name + " row " + b + " pos " + (len[b] - 1));
                checked++;
                active[b] = len[b] < T;
                tok[b] = active[b] ? seqs[b][len[b]] : 99;   // inactive rows: the token is ignored
            }
            if (!active[0] && !active[1] && !active[2]) {
                break;
            }
            st.append(tok, active);
            for (int b = 0; b < 3; b++) {
                len[b] += active[b] ? 1 : 0;
            }
        }
        assertEquals(36, checked);   // 12 rounds (11 appends for the 1-token row) x 3 rows, finished rows re-checked
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void answersBranchedFromAThoughtMatchRecomputingFromScratch(String name, IncrementalDecoder decoder) {
        int[] prompt = {1, 7, 8, 9, 3};
        int[] thought = {10, 11, 5, 4};
        int[][] answers = {{6, 2}, {12, 12, 2}, {0}};
        DecodingState st = decoder.prefill(new int[][] {prompt});
        for (int tok : thought) {
            st.append(new int[] {tok}, new boolean[] {true});
        }
        INDArray thoughtEnd = st.nextLogits().dup();
        DecodingState branches = st.fork(new int[] {0, 0, 0});
        assertEquals(3, branches.rows());
        for (int b = 0; b < 3; b++) {
            assertEquals(9, branches.length(b));
            assertRowEquals(thoughtEnd.getRow(0), branches.nextLogits().getRow(b), name + " fork row " + b);
        }
        for (int step = 0; step < 3; step++) {
            int[] tok = new int[3];
            boolean[] active = new boolean[3];
            for (int b = 0; b < 3; b++) {
                active[b] = step < answers[b].length;
                tok[b] = active[b] ? answers[b][step] : 0;
            }
            branches.append(tok, active);
            for (int b = 0; b < 3; b++) {
                int n = Math.min(step + 1, answers[b].length);
                int[] seq = concat(prompt, thought, Arrays.copyOf(answers[b], n));
                assertRowEquals(full(seq).getRow(seq.length - 1), branches.nextLogits().getRow(b), name + " answer " + b + " step " + step);
            }
        }
        // the forked-from state is untouched and still decodes correctly
        assertRowEquals(thoughtEnd.getRow(0), st.nextLogits().getRow(0), name + " parent after fork");
        st.append(new int[] {2}, new boolean[] {true});
        int[] seq = concat(prompt, thought, new int[] {2});
        assertRowEquals(full(seq).getRow(seq.length - 1), st.nextLogits().getRow(0), name + " parent step");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void rejectsBadInput(String name, IncrementalDecoder decoder) {
        assertThrows(IllegalArgumentException.class, () -> decoder.prefill(new int[][] {{}}));
        assertThrows(IllegalArgumentException.class, () -> decoder.prefill(new int[][] {{1, V}}));
        assertThrows(IllegalArgumentException.class, () -> decoder.prefill(new int[][] {new int[T + 1]}));
        DecodingState st = decoder.prefill(new int[][] {new int[T]});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> st.append(new int[] {1}, new boolean[] {true}));
        assertTrue(e.getMessage().contains("maximum length"), e.getMessage());
        st.append(new int[] {1}, new boolean[] {false});   // an inactive row may stay full
        assertThrows(IllegalArgumentException.class, () -> st.fork(new int[] {1}));
    }

    @Test
    void kvCacheGrowsPastItsInitialCapacity() {
        TransformerPolicy p = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(8).layers(1)
                .heads(2).maxLength(48).seed(2).initStd(0.3).build());
        KvCacheDecoder d = new KvCacheDecoder(p);
        int[] seq = new int[48];
        for (int i = 0; i < 48; i++) {
            seq[i] = (i * 7) % V;
        }
        INDArray expected = p.forward(Nd4j.createFromArray(new int[][] {seq})).get(point(0), all(), all());
        DecodingState st = d.prefill(new int[][] {{seq[0]}});      // capacity 1 + 32 slots, grown on step 33
        for (int i = 1; i < 48; i++) {
            st.append(new int[] {seq[i]}, new boolean[] {true});
            assertRowEquals(expected.getRow(i), st.nextLogits().getRow(0), "position " + i);
        }
    }

    @Test
    void kvCacheMatchesTheFullForwardOfADoubleModelTo1e9() {
        TransformerPolicy p = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(8).layers(2)
                .heads(2).maxLength(10).dataType(DataType.DOUBLE).seed(4).initStd(0.5).build());
        int[][] seqs = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {12, 11, 0, 0, 5, 5, 7, 1, 2, 3}};
        INDArray expected = p.forward(Nd4j.createFromArray(seqs));
        DecodingState st = new KvCacheDecoder(p).prefill(new int[][] {{1, 2}, {12, 11, 0, 0, 5}});
        int[] len = {2, 5};
        for (int step = 0; step < 8; step++) {
            for (int b = 0; b < 2; b++) {
                double diff = expected.get(point(b), point(len[b] - 1), all()).sub(st.nextLogits().getRow(b)).amaxNumber().doubleValue();
                assertTrue(diff < 1e-9, "row " + b + " position " + (len[b] - 1) + ": " + diff);
            }
            boolean[] active = {len[0] < 10, len[1] < 10};
            st.append(new int[] {active[0] ? seqs[0][len[0]] : 0, active[1] ? seqs[1][len[1]] : 0}, active);
            for (int b = 0; b < 2; b++) {
                len[b] += active[b] ? 1 : 0;
            }
        }
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
