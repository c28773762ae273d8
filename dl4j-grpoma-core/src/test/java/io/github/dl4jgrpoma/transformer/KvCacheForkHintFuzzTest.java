package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.rollout.DecodingState;

/**
 * Forks with append hints ({@link KvCacheState#fork(int[], int)}), fuzzed: expanding forks (which grow the source in
 * place), shrinking and arbitrary forks (which grow the copy), branched forks and their compaction, hints of 0, 1, the
 * exact count, fewer than follow, and {@code Integer.MAX_VALUE}; after every append every row's next-token logits equal
 * a fresh prefill of that row's tokens (double precision), and so do the source's after it was forked (grown or not).
 */
class KvCacheForkHintFuzzTest {
    private static final int V = KvCacheBranchesTest.V;
    private static final int MAX_LENGTH = 40;                         // KvCacheBranchesTest.POLICY's maxLength
    private static final KvCacheDecoder DECODER = new KvCacheDecoder(KvCacheBranchesTest.POLICY);

    /** How often each kind of fork ran: branched, source grown in place, copy grown; checked by the last test. */
    private final int[] kinds = new int[3];

    @TestFactory
    Stream<DynamicTest> forksWithAnyHintDecodeLikeAFreshPrefill() {
        return Stream.concat(
                LongStream.rangeClosed(1, 16).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> run(seed))),
                Stream.of(DynamicTest.dynamicTest("every kind of fork ran", () -> {
                    assertTrue(kinds[0] > 0 && kinds[1] > 0 && kinds[2] > 0, "branched, source grown, copy grown: "
                            + java.util.Arrays.toString(kinds));
                })));
    }

    private void run(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = 1 + rng.nextInt(3);
        List<List<Integer>> hist = new ArrayList<>();
        int[][] prompts = new int[rows][];
        for (int r = 0; r < rows; r++) {
            prompts[r] = rng.ints(1 + rng.nextInt(6), 0, V).toArray();
            List<Integer> h = new ArrayList<>();
            for (int t : prompts[r]) {
                h.add(t);
            }
            hist.add(h);
        }
        DecodingState s = DECODER.prefill(prompts);
        check(s, hist, "seed " + seed + " prefill");
        for (int f = 0; f < 3; f++) {
            int[] idx = forkRows(rng, s.rows());
            int used = hist.stream().mapToInt(List::size).max().orElseThrow();
            int left = MAX_LENGTH - used;
            int planned = Math.min(left, rng.nextInt(9));
            int hint = switch (rng.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> planned;                                    // exact
                case 3 -> Math.max(0, planned - 1 - rng.nextInt(4));  // fewer than follow
                default -> Integer.MAX_VALUE;
            };
            String what = "seed " + seed + " fork " + f + " " + java.util.Arrays.toString(idx) + " hint " + hint
                    + " then " + planned + " appends";
            INDArray sourceKeys = ((KvCacheState) s).caches()[0];
            int sourceCapacity = (int) sourceKeys.size(2);
            DecodingState fork = s.fork(idx, hint);
            INDArray forkKeys = ((KvCacheState) fork).caches()[0];
            if (((KvCacheState) fork).branches() > 1) {
                kinds[0]++;
            } else if (((KvCacheState) s).caches()[0] != sourceKeys) {
                kinds[1]++;
            } else if (forkKeys.size(2) > sourceCapacity) {
                kinds[2]++;
            }
            List<List<Integer>> forkHist = new ArrayList<>();
            for (int i : idx) {
                forkHist.add(new ArrayList<>(hist.get(i)));
            }
            check(fork, forkHist, what + ": right after the fork");
            if (rng.nextBoolean() && left > planned) {                 // the forked-from state still decodes right
                appendAndCheck(s, hist, rng, what + ": the source after the fork");
            }
            s.close();
            for (int a = 0; a < planned; a++) {
                appendAndCheck(fork, forkHist, rng, what + ": append " + a);
            }
            s = fork;
            hist = forkHist;
        }
        s.close();
    }

    /** Expanding ({0,0,1,1}), shrinking, or arbitrary row choices with repeats. */
    private static int[] forkRows(SplittableRandom rng, int rows) {
        switch (rng.nextInt(3)) {
            case 0: {
                int m = 1 + rng.nextInt(3);
                return rows * m > 9 ? new int[] {rows - 1} : KvCacheBranchesTest.repeatEach(rows, m);
            }
            case 1: {
                int n = 1 + rng.nextInt(rows);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) {
                    idx[i] = rng.nextInt(rows);
                }
                return idx;
            }
            default:
                return rng.ints(1 + rng.nextInt(Math.min(9, rows * 2)), 0, rows).toArray();
        }
    }

    /** Appends a token to every row (now and then one row inactive) and checks every row. */
    private static void appendAndCheck(DecodingState s, List<List<Integer>> hist, SplittableRandom rng, String what) {
        int[] tokens = rng.ints(s.rows(), 0, V).toArray();
        boolean[] active = new boolean[s.rows()];
        int off = s.rows() > 1 && rng.nextInt(4) == 0 ? rng.nextInt(s.rows()) : -1;
        for (int r = 0; r < active.length; r++) {
            active[r] = r != off;
            if (active[r]) {
                hist.get(r).add(tokens[r]);
            }
        }
        s.append(tokens, active);
        check(s, hist, what);
    }

    private static void check(DecodingState s, List<List<Integer>> hist, String what) {
        assertEquals(hist.size(), s.rows(), what);
        int[][] full = new int[hist.size()][];
        for (int r = 0; r < full.length; r++) {
            full[r] = hist.get(r).stream().mapToInt(Integer::intValue).toArray();
            assertEquals(full[r].length, s.length(r), what + ": length of row " + r);
        }
        try (DecodingState fresh = DECODER.prefill(full)) {
            for (int r = 0; r < full.length; r++) {
                assertArrayEquals(fresh.nextLogits().getRow(r).dup().data().asDouble(),
                        s.nextLogits().getRow(r).dup().data().asDouble(), 1e-9, what + ": logits of row " + r);
            }
        }
    }
}
