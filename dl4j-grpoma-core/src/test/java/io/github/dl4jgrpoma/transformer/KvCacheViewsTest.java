package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The KV cache's hand-built views (qkv split into heads, cache slots at an offset, the cached prefix; KvCacheState.view)
 * against the full forward pass: multi-token chunks consumed at a non-zero slot, the caches grown from a capacity of 2
 * inside a chunk, left padding and inactive rows, one and several heads, float and double. Each row's next-token logits
 * must equal the full forward's logits at the row's last real token.
 */
class KvCacheViewsTest {
    private static final int V = 9;
    private static final int T = 16;

    @ParameterizedTest
    @CsvSource({"FLOAT, 1, 1e-4", "FLOAT, 4, 1e-4", "DOUBLE, 1, 1e-10", "DOUBLE, 2, 1e-10", "DOUBLE, 4, 1e-10"})
    void chunksAtAnOffsetWithGrowthMatchTheFullForward(DataType dt, int heads, double tol) {
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(16).layers(2)
                .heads(heads).maxLength(T).seed(11).initStd(0.4).dataType(dt).build());
        int rows = 3;
        List<List<Integer>> seqs = new ArrayList<>();
        for (int b = 0; b < rows; b++) {
            seqs.add(new ArrayList<>());
        }
        KvCacheState state = new KvCacheState(new TransformerWeights(policy), rows, 2);
        // chunk 1: n = 3 at slot 0, left padded (row 1 has 2 tokens, row 2 has 1)
        consume(state, seqs, new int[][] {{1, 2, 3}, {0, 4, 5}, {0, 0, 6}},
                new boolean[][] {{true, true, true}, {false, true, true}, {false, false, true}});
        check(policy, state, seqs, tol, "chunk 1");
        // chunk 2: n = 4 at slot 3 (capacity grows 4 -> 8 inside the chunk); row 2 gets only the last token
        consume(state, seqs, new int[][] {{7, 8, 1, 2}, {0, 3, 4, 5}, {0, 0, 0, 7}},
                new boolean[][] {{true, true, true, true}, {false, true, true, true}, {false, false, false, true}});
        check(policy, state, seqs, tol, "chunk 2");
        // single tokens, one row inactive in turn, past the next growth (8 -> 16 slots)
        for (int i = 0; i < 6; i++) {
            int[] tok = {(i + 1) % V, (i + 4) % V, (i + 7) % V};
            boolean[] active = {i % 3 != 0, i % 3 != 1, i % 3 != 2};
            int[][] t = new int[rows][1];
            boolean[][] v = new boolean[rows][1];
            for (int b = 0; b < rows; b++) {
                t[b][0] = tok[b];
                v[b][0] = active[b];
            }
            consume(state, seqs, t, v);
            check(policy, state, seqs, tol, "token " + i);
        }
        // a fork of rows {2, 0} continues like the originals
        KvCacheState fork = (KvCacheState) state.fork(new int[] {2, 0});
        List<List<Integer>> forkSeqs = new ArrayList<>(List.of(new ArrayList<>(seqs.get(2)), new ArrayList<>(seqs.get(0))));
        consume(fork, forkSeqs, new int[][] {{3}, {4}}, new boolean[][] {{true}, {true}});
        check(policy, fork, forkSeqs, tol, "fork");
        state.close();
        fork.close();
    }

    private static void consume(KvCacheState state, List<List<Integer>> seqs, int[][] tokens, boolean[][] valid) {
        state.consume(tokens, valid);
        for (int b = 0; b < tokens.length; b++) {
            for (int i = 0; i < tokens[b].length; i++) {
                if (valid[b][i]) {
                    seqs.get(b).add(tokens[b][i]);
                }
            }
        }
    }

    private static void check(TransformerPolicy policy, KvCacheState state, List<List<Integer>> seqs, double tol, String when) {
        for (int b = 0; b < seqs.size(); b++) {
            int[] seq = seqs.get(b).stream().mapToInt(Integer::intValue).toArray();
            assertTrue(seq.length > 0 && seq.length <= T);
            INDArray logits = policy.forward(Nd4j.createFromArray(new int[][] {Arrays.copyOf(seq, T)}));
            for (int v = 0; v < V; v++) {
                assertEquals(logits.getDouble(0, seq.length - 1, v), state.nextLogits().getDouble(b, v), tol,
                        when + ", row " + b + ", vocab " + v);
            }
        }
    }
}
