package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.github.dl4jgrpoma.transformer.KvCacheBranchesTest.POLICY;
import static io.github.dl4jgrpoma.transformer.KvCacheBranchesTest.V;
import static io.github.dl4jgrpoma.transformer.KvCacheBranchesTest.assertSameRows;
import static io.github.dl4jgrpoma.transformer.KvCacheBranchesTest.repeatEach;

import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.rollout.DecodingState;

/**
 * Edge cases of branched decoding states beyond {@link KvCacheBranchesTest}: a model with an embedding prefix (a
 * position offset), forks of forks, an append with every branch inactive, and fork hints far beyond the model's length.
 * Each branched state's logits are compared with a plain copy's in double precision (the model and helpers of
 * {@link KvCacheBranchesTest}).
 */
class KvCacheBranchEdgesTest {
    /** Appends the same random tokens (each row active with probability 3/4) to both states and compares them. */
    private static void appendBoth(DecodingState plain, DecodingState branched, SplittableRandom rng, int steps, String what) {
        for (int step = 0; step < steps; step++) {
            int[] t = rng.ints(plain.rows(), 0, V).toArray();
            boolean[] active = new boolean[plain.rows()];
            for (int r = 0; r < active.length; r++) {
                active[r] = rng.nextInt(4) != 0;
            }
            plain.append(t, active);
            branched.append(t, active);
            assertSameRows(plain, branched, what + " step " + step);
        }
    }

    private static DecodingState prefilled(TransformerPolicy policy, Map<String, INDArray> conditioning, SplittableRandom rng) {
        DecodingState s = new KvCacheDecoder(policy).prefill(new int[][] {{1, 4, 6, 2, 7, 3}, {1, 5}, {1, 8, 8, 3}},
                conditioning);
        for (int step = 0; step < 4; step++) {
            s.append(rng.ints(3, 0, V).toArray(), new boolean[] {true, step != 2, true});
        }
        return s;
    }

    /** Every row of {@link #prefilled} twice: a plain copy and branches (hint {@code hint}), after {@code steps} appends. */
    private static DecodingState[] plainAndBranched(SplittableRandom rng, int hint, int steps) {
        DecodingState source = prefilled(POLICY, Map.of(), rng);
        DecodingState plain = source.fork(repeatEach(3, 2));
        DecodingState branched = source.fork(repeatEach(3, 2), hint);
        source.close();
        appendBoth(plain, branched, rng, steps, "before the test");
        return new DecodingState[] {plain, branched};
    }

    @Test
    void aModelWithAnEmbeddingPrefixBranchesExactlyAsPlainCopies() {
        EmbeddingPrefix prefix = new EmbeddingPrefix() {
            @Override
            public int length() {
                return 3;
            }

            @Override
            public SDVariable build(SameDiff sd, int width, DataType dataType) {
                SDVariable feats = sd.placeHolder("feats", dataType, -1, 2);
                return sd.reshape(feats.mmul(sd.var("proj", Nd4j.rand(dataType, 2, 3L * width))), -1, 3, width);
            }
        };
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(16).layers(2)
                .heads(2).maxLength(30).seed(4).initStd(0.5).dataType(DataType.DOUBLE).build(), prefix);
        Map<String, INDArray> feats = Map.of("feats", Nd4j.rand(DataType.DOUBLE, 3, 2).subi(0.5).muli(4));
        SplittableRandom rng = new SplittableRandom(7);
        DecodingState source = prefilled(policy, feats, rng);                // 3 prefix + 6 + 4 = 13 slots
        int[] idx = repeatEach(3, 3);
        DecodingState plain = source.fork(idx);
        DecodingState branched = source.fork(idx, 4);
        assertEquals(3, ((KvCacheState) branched).branches());
        source.close();
        assertSameRows(plain, branched, "after the fork");
        appendBoth(plain, branched, rng, 6, "branched");
        int[] keep = {8, 0, 4, 5};
        DecodingState plainKept = plain.fork(keep);
        DecodingState branchedKept = branched.fork(keep, 3);
        assertSameRows(plainKept, branchedKept, "after compaction");
        appendBoth(plainKept, branchedKept, rng, 4, "compacted");
        for (DecodingState s : new DecodingState[] {plain, branched, plainKept, branchedKept}) {
            s.close();
        }
    }

    @Test
    void forksOfForksDecodeAsPlainCopies() {
        SplittableRandom rng = new SplittableRandom(11);
        DecodingState source = prefilled(POLICY, Map.of(), rng);            // 10 slots
        DecodingState plain = source.fork(repeatEach(3, 2));
        DecodingState branched = source.fork(repeatEach(3, 2), 3);
        source.close();
        // a fork of a branched state right after the fork (no branch slots yet), without a hint
        DecodingState plainNow = plain.fork(new int[] {5, 0, 0, 3});
        DecodingState branchedNow = branched.fork(new int[] {5, 0, 0, 3});
        assertEquals(1, ((KvCacheState) branchedNow).branches());
        assertSameRows(plainNow, branchedNow, "materialised before any append");
        appendBoth(plainNow, branchedNow, rng, 3, "materialised early");
        appendBoth(plain, branched, rng, 3, "branched");
        // a {0,0,1,1} fork of a branched state with a hint: copied out (no branches of branches), then branched again
        DecodingState plain2 = plain.fork(repeatEach(6, 2), 1);
        DecodingState branched2 = branched.fork(repeatEach(6, 2), 1);
        assertEquals(1, ((KvCacheState) branched2).branches());
        assertSameRows(plain2, branched2, "fork of a branched state");
        appendBoth(plain2, branched2, rng, 2, "fork of a branched state");
        DecodingState plain3 = plain2.fork(repeatEach(12, 2));
        DecodingState branched3 = branched2.fork(repeatEach(12, 2), 2);
        assertEquals(2, ((KvCacheState) branched3).branches(), "a plain copy of branches branches again");
        branched.close();
        branched2.close();
        branched.close();                                                  // closing twice does nothing
        assertSameRows(plain3, branched3, "branches of a copied-out branch");
        appendBoth(plain3, branched3, rng, 4, "branches of a copied-out branch");
    }

    @Test
    void anAppendWithEveryBranchInactiveChangesNothing() {
        SplittableRandom rng = new SplittableRandom(5);
        DecodingState[] pair = plainAndBranched(rng, 2, 1);
        DecodingState plain = pair[0];
        DecodingState branched = pair[1];
        double[] before = branched.nextLogits().dup().data().asDouble();
        plain.append(new int[6], new boolean[6]);
        branched.append(new int[6], new boolean[6]);
        assertArrayEquals(before, branched.nextLogits().dup().data().asDouble(), 0.0, "inactive rows keep their logits");
        assertSameRows(plain, branched, "all inactive");
        appendBoth(plain, branched, rng, 3, "after");
    }

    @Test
    void aForkHintBeyondTheModelsLengthSizesNoMoreThanTheModelsLength() {
        SplittableRandom rng = new SplittableRandom(3);
        DecodingState[] pair = plainAndBranched(rng, 5, 2);
        DecodingState plain = pair[0];
        DecodingState branched = pair[1];
        for (int hint : new int[] {1_000_000, Integer.MAX_VALUE}) {
            DecodingState plainKept = plain.fork(new int[] {0, 5});
            DecodingState kept = branched.fork(new int[] {0, 5}, hint);
            long capacity = ((KvCacheState) kept).caches()[0].size(2);
            assertTrue(capacity <= POLICY.maxLength(), "hint " + hint + ": capacity " + capacity + " slots, more than the"
                    + " model's length " + POLICY.maxLength());
            assertSameRows(plainKept, kept, "hint " + hint);
            appendBoth(plainKept, kept, rng, 2, "hint " + hint);
            kept.close();
            plainKept.close();
        }
    }

    /**
     * Long prompts and short thoughts: the engine's K-fold thought fork branches too (K x (thought + 1) appends <= the
     * prompt's slots), so thoughts decode as branches and the answer fork copies them out (M > 1) or goes on in the
     * branched state (M = 1, compactions copying out). Tokens equal those of decoding without prefix sharing.
     */
    @Test
    void aRolloutWhoseThoughtsBranchSamplesWhatDecodingWithoutSharingSamples() {
        java.util.List<io.github.dl4jgrpoma.data.Prompt> prompts = java.util.List.of(
                io.github.dl4jgrpoma.data.Prompt.ofTokens(1, 5, 3, 6, 7, 5, 6, 7, 8, 5, 6, 7, 3, 3, 5, 6, 7, 8),
                io.github.dl4jgrpoma.data.Prompt.ofTokens(1, 6, 7, 5, 3, 8, 8, 7, 6, 5, 3, 5, 7, 8, 6, 5),
                io.github.dl4jgrpoma.data.Prompt.ofTokens(1, 8, 7, 6, 5, 3, 5, 6, 7, 8, 7, 6, 5, 3, 5, 6, 7),
                io.github.dl4jgrpoma.data.Prompt.ofTokens(1, 7, 7, 6, 5, 3, 5, 6, 7, 8, 7, 6, 5, 3, 6, 7, 8));
        for (int m : new int[] {1, 3}) {
            // the thought fork branches when K x its appends fit in the 16-18 prompt slots; with M = 1 the answers
            // continue in the thoughts' state, so its appends include them: fewer thoughts, shorter answers
            int thoughts = m == 1 ? 2 : 3;
            io.github.dl4jgrpoma.rollout.RolloutConfig.Builder cfg = io.github.dl4jgrpoma.rollout.RolloutConfig.builder()
                    .thoughts(thoughts).answersPerThought(m).maxThoughtTokens(4).maxAnswerTokens(m == 1 ? 4 : 6)
                    .temperature(1.3)
                    .endOfThoughtToken(4).answerStopTokens(java.util.Set.of(2));
            io.github.dl4jgrpoma.rollout.StrictDecoder strict = new io.github.dl4jgrpoma.rollout.StrictDecoder(
                    new KvCacheDecoder(POLICY));
            io.github.dl4jgrpoma.rollout.RolloutBatch shared = new io.github.dl4jgrpoma.rollout.RolloutEngine(strict,
                    cfg.build()).rollout(prompts, 31);
            assertEquals(thoughts, ((KvCacheState) strict.innerStates.get(1)).branches(),
                    "M = " + m + ": the thoughts branch");
            io.github.dl4jgrpoma.rollout.RolloutBatch scratch = new io.github.dl4jgrpoma.rollout.RolloutEngine(
                    new KvCacheDecoder(POLICY), cfg.prefixSharing(false).build()).rollout(prompts, 31);
            for (int p = 0; p < prompts.size(); p++) {
                for (int k = 0; k < thoughts; k++) {
                    io.github.dl4jgrpoma.rollout.ThoughtRollout a = shared.prompts().get(p).thoughts().get(k);
                    io.github.dl4jgrpoma.rollout.ThoughtRollout b = scratch.prompts().get(p).thoughts().get(k);
                    assertArrayEquals(b.tokens(), a.tokens(), "M = " + m + " prompt " + p + " thought " + k);
                    assertArrayEquals(b.logProbs(), a.logProbs(), 1e-10);
                    for (int j = 0; j < m; j++) {
                        assertArrayEquals(b.answers().get(j).tokens(), a.answers().get(j).tokens());
                        assertArrayEquals(b.answers().get(j).logProbs(), a.answers().get(j).logProbs(), 1e-10);
                    }
                }
            }
            for (int i = 0; i < strict.closes.size(); i++) {
                assertEquals(1, strict.closes.get(i)[0], "M = " + m + ": every state closed once");
            }
        }
    }

    @Test
    void anEmptyForkIsRefusedWithAClearError() {
        DecodingState s = prefilled(POLICY, Map.of(), new SplittableRandom(2));
        DecodingState branched = s.fork(repeatEach(3, 2), 2);
        for (DecodingState state : new DecodingState[] {s, branched}) {
            for (int hint : new int[] {-1, 0, 3}) {
                IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> {
                            if (hint < 0) {
                                state.fork(new int[0]);
                            } else {
                                state.fork(new int[0], hint);
                            }
                        });
                assertTrue(e.getMessage().contains("fork: no rows"), e.getMessage());
            }
        }
    }
}
