package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.rollout.DecodingState;

/** KV-cache growth past the model's maximum length in slots (left padding + inactive rows), close semantics. */
class KvCacheGrowthTest {
    private static final int V = 8;
    private static final TransformerPolicy POLICY = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V)
            .width(16).layers(2).heads(2).maxLength(10).seed(7).initStd(0.4).dataType(DataType.DOUBLE).build());

    @Test
    void aShortRowDecodedAloneBesideALongPaddedRowMatchesItDecodedAlone() {
        KvCacheDecoder decoder = new KvCacheDecoder(POLICY);
        // row 0: 1 token; row 1: 8 tokens -> 8 slots after prefill; row 0 alone grows 9 more: 17 slots > maxLength 10
        DecodingState both = decoder.prefill(new int[][] {{1}, {1, 2, 3, 4, 5, 6, 7, 2}});
        DecodingState alone = decoder.prefill(new int[][] {{1}});
        int reallocations = 0;
        INDArray lastKeys = ((KvCacheState) both).caches()[0];
        for (int i = 0; i < 9; i++) {
            int tok = (i * 3 + 1) % V;
            both.append(new int[] {tok, 0}, new boolean[] {true, false});
            alone.append(new int[] {tok}, new boolean[] {true});
            INDArray keys = ((KvCacheState) both).caches()[0];
            if (keys != lastKeys) {
                reallocations++;
                lastKeys = keys;
            }
            assertArrayEquals(alone.nextLogits().getRow(0).dup().data().asDouble(),
                    both.nextLogits().getRow(0).dup().data().asDouble(), 1e-9, "step " + i);
        }
        both.close();
        alone.close();
        System.out.println("cache reallocations beyond the cap: " + reallocations);
        assertTrue(reallocations <= 3, "the cache grew one slot at a time past the cap: " + reallocations + " reallocations");
    }

    /** Appends {@code n} tokens to every row and counts how often the first key cache was replaced (reallocated). */
    private static int reallocationsDuring(DecodingState s, int n) {
        int count = 0;
        INDArray last = ((KvCacheState) s).caches()[0];
        for (int i = 0; i < n; i++) {
            int[] tok = new int[s.rows()];
            java.util.Arrays.fill(tok, (i * 5 + 1) % V);
            boolean[] all = new boolean[s.rows()];
            java.util.Arrays.fill(all, true);
            s.append(tok, all);
            INDArray keys = ((KvCacheState) s).caches()[0];
            if (keys != last) {
                count++;
                last = keys;
            }
        }
        return count;
    }

    @Test
    void aForkWithAnAppendHintHasRoomForThemAndGrowsTheSmallerSide() {
        TransformerPolicy policy = KvCacheBranchesTest.POLICY;             // maxLength 40
        KvCacheDecoder decoder = new KvCacheDecoder(policy);
        DecodingState prompts = decoder.prefill(new int[][] {{1, 2, 3}, {3, 2, 1}});   // 3 slots, room for 35
        DecodingState thoughts = prompts.fork(KvCacheBranchesTest.repeatEach(2, 3), 36);
        assertEquals(0, reallocationsDuring(thoughts, 36), "36 announced appends after a 3-slot prefix fit in 40");
        INDArray before = ((KvCacheState) thoughts).caches()[0];
        // a shrinking fork (compaction) grows its own, smaller copy, not the state it copies from
        DecodingState kept = thoughts.fork(new int[] {1, 4}, 1);
        assertTrue(before == ((KvCacheState) thoughts).caches()[0], "the source was not reallocated");
        assertEquals(0, reallocationsDuring(kept, 1));
        DecodingState fresh = decoder.prefill(new int[][] {{1, 2, 3}, {3, 2, 1}});
        DecodingState unhinted = fresh.fork(KvCacheBranchesTest.repeatEach(2, 3));
        assertTrue(reallocationsDuring(unhinted, 36) > 0, "without a hint the copy grows while it decodes (the control)");
        for (DecodingState s : new DecodingState[] {prompts, thoughts, kept, fresh, unhinted}) {
            s.close();
        }
    }

    @Test
    void nextLogitsOfAClosedStateStillReadsOrThrows() {
        KvCacheDecoder decoder = new KvCacheDecoder(POLICY);
        DecodingState s = decoder.prefill(new int[][] {{1, 5, 3}});
        double[] before = s.nextLogits().dup().data().asDouble();
        s.close();
        try {
            assertArrayEquals(before, s.nextLogits().dup().data().asDouble(), 0.0, "logits of a closed state");
        } catch (IllegalStateException expected) {
            // allowed by DecodingState.close()'s contract
        }
    }
}
