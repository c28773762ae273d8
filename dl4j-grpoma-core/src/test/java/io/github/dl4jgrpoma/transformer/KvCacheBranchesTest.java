package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;

import io.github.dl4jgrpoma.rollout.DecodingState;

/**
 * Branched decoding states ({@link KvCacheState#fork(int[], int)} of a {@code {0,0,1,1}}-style fork): every branch's
 * logits equal those of a plain copy of its row, step after step, with inactive rows, cache growth and compaction
 * forks that copy branches out into plain rows (double precision, so any mix-up of slots shows far above rounding).
 */
class KvCacheBranchesTest {
    static final int V = 9;
    static final TransformerPolicy POLICY = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V)
            .width(16).layers(2).heads(2).maxLength(40).seed(3).initStd(0.5).dataType(DataType.DOUBLE).build());

    static int[] repeatEach(int rows, int m) {
        int[] idx = new int[rows * m];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i / m;
        }
        return idx;
    }

    /** Prompts of different lengths (left padding) and a few appends, one row inactive in one of them. */
    private static DecodingState prefilled(SplittableRandom rng) {
        DecodingState s = new KvCacheDecoder(POLICY).prefill(new int[][] {{1, 4, 6, 2, 7, 3}, {1, 5}, {1, 8, 8, 3}});
        for (int step = 0; step < 4; step++) {
            s.append(tokens(rng, 3), new boolean[] {true, step != 2, true});
        }
        return s;
    }

    private static int[] tokens(SplittableRandom rng, int rows) {
        return rng.ints(rows, 0, V).toArray();
    }

    static void assertSameRows(DecodingState expected, DecodingState actual, String what) {
        assertEquals(expected.rows(), actual.rows(), what);
        for (int r = 0; r < expected.rows(); r++) {
            assertEquals(expected.length(r), actual.length(r), what + ": length of row " + r);
            assertArrayEquals(expected.nextLogits().getRow(r).dup().data().asDouble(),
                    actual.nextLogits().getRow(r).dup().data().asDouble(), 1e-10, what + ": logits of row " + r);
        }
    }

    @TestFactory
    Stream<DynamicTest> branchesDecodeExactlyAsPlainCopiesOfTheirRows() {
        return Stream.of(2L, 3L, 4L, 5L, 6L).map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
            SplittableRandom rng = new SplittableRandom(seed);
            int m = 2 + (int) (seed % 3);
            int appends = 1 + rng.nextInt(10 / m);             // M x appends <= the 10 slots used: branched
            DecodingState source = prefilled(rng);
            int[] idx = repeatEach(3, m);
            DecodingState plain = source.fork(idx);
            DecodingState branched = source.fork(idx, appends);
            assertEquals(m, ((KvCacheState) branched).branches(), "a {0,0,1,1} fork with few appends branches");
            assertEquals(1, ((KvCacheState) plain).branches());
            assertEquals(3, ((KvCacheState) branched).caches()[0].size(0), "one cache row per source row");
            source.close();
            assertSameRows(plain, branched, "after the fork");
            // more appends than the hint: the branched caches grow
            for (int step = 0; step < appends + 2; step++) {
                int[] t = tokens(rng, idx.length);
                boolean[] active = new boolean[idx.length];
                for (int r = 0; r < active.length; r++) {
                    active[r] = rng.nextInt(4) != 0;
                }
                plain.append(t, active);
                branched.append(t, active);
                assertSameRows(plain, branched, "step " + step);
            }
            // a compaction fork copies branches out into plain rows
            int[] keep = {1, idx.length - 1, 0, m};
            DecodingState plainKept = plain.fork(keep);
            DecodingState branchedKept = branched.fork(keep, 2);
            assertEquals(1, ((KvCacheState) branchedKept).branches());
            assertSameRows(plainKept, branchedKept, "after compaction");
            for (int step = 0; step < 3; step++) {
                int[] t = tokens(rng, keep.length);
                boolean[] active = {true, step != 1, true, true};
                plainKept.append(t, active);
                branchedKept.append(t, active);
                assertSameRows(plainKept, branchedKept, "compacted step " + step);
            }
            for (DecodingState s : new DecodingState[] {plain, branched, plainKept, branchedKept}) {
                s.close();
            }
        }));
    }

    @Test
    void onlyRepeatEachForksWithFewAppendsBranch() {
        DecodingState s = prefilled(new SplittableRandom(1));              // 6 + 4 = 10 slots used
        assertEquals(2, ((KvCacheState) s.fork(repeatEach(3, 2), 5)).branches(), "2 x 5 own slots <= 10 shared");
        assertEquals(1, ((KvCacheState) s.fork(repeatEach(3, 2), 6)).branches(), "2 x 6 own slots > 10 shared");
        assertEquals(1, ((KvCacheState) s.fork(repeatEach(3, 2))).branches(), "no hint: a plain copy");
        assertEquals(1, ((KvCacheState) s.fork(new int[] {0, 1, 2, 0, 1, 2}, 1)).branches(), "not {0,0,1,1,...}");
        assertEquals(1, ((KvCacheState) s.fork(new int[] {0, 1, 2}, 1)).branches(), "M = 1");
        assertEquals(1, ((KvCacheState) s.fork(new int[] {0, 0, 1, 1}, 1)).branches(), "not every row");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.fork(repeatEach(3, 2), -1));
        assertTrue(e.getMessage().contains("maxAppends = -1"), e.getMessage());
        s.close();
        assertThrows(IllegalStateException.class, () -> s.fork(repeatEach(3, 2), 1));
    }

    @Test
    void aBranchThatWouldPassTheMaximumLengthIsRefusedByItsRow() {
        DecodingState s = new KvCacheDecoder(POLICY).prefill(new int[][] {{1, 2}});
        for (int i = 0; i < 36; i++) {
            s.append(new int[] {3}, new boolean[] {true});
        }
        DecodingState branched = s.fork(new int[] {0, 0}, 2);               // 38 of 40 tokens: room for 2
        assertEquals(2, ((KvCacheState) branched).branches());
        branched.append(new int[] {4, 5}, new boolean[] {true, false});
        branched.append(new int[] {4, 5}, new boolean[] {true, true});
        assertEquals(40, branched.length(0));
        assertEquals(39, branched.length(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> branched.append(new int[] {4, 5}, new boolean[] {true, true}));
        assertTrue(e.getMessage().startsWith("row 0 would hold 41 tokens"), e.getMessage());
        branched.append(new int[] {4, 5}, new boolean[] {false, true});      // the refused append changed nothing
        assertEquals(40, branched.length(1));
    }
}
