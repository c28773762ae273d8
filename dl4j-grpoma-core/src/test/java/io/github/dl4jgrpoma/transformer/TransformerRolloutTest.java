package io.github.dl4jgrpoma.transformer;

import io.github.dl4jgrpoma.data.Prompt;

import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RecomputeDecoder;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rollouts of a real (tiny, random) transformer: every recorded log-prob equals the log-softmax of the full
 * SameDiff forward of prompt + thought + answer divided by the temperature, and the KV-cache decoder with
 * prefix sharing, without it, and the full-recompute decoder sample the same trees from the same seed.
 */
class TransformerRolloutTest {
    private static final int V = 8;
    private static final double TEMP = 1.3;
    private static final TransformerPolicy POLICY = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V)
            .width(16).layers(2).heads(2).maxLength(24).seed(23).initStd(0.4).build());
    private static final List<Prompt> PROMPTS = List.of(Prompt.ofTokens(1, 5, 3), Prompt.ofTokens(1, 6, 7, 5, 3));

    private static RolloutConfig.Builder cfg() {
        return RolloutConfig.builder().thoughts(2).answersPerThought(3).maxThoughtTokens(8).maxAnswerTokens(4)
                .temperature(TEMP).endOfThoughtToken(4).answerStopTokens(Set.of(2));
    }

    @Test
    void recordedLogProbsEqualTheFullForwardOfEachSequence() {
        RolloutBatch batch = new RolloutEngine(new KvCacheDecoder(POLICY), cfg().build()).rollout(PROMPTS, 2024);
        int checked = 0;
        for (PromptRollout p : batch.prompts()) {
            for (int k = 0; k < 2; k++) {
                ThoughtRollout t = p.thoughts().get(k);
                for (int m = 0; m < 3; m++) {
                    int[] seq = p.sequence(k, m);
                    INDArray logits = POLICY.forward(Nd4j.createFromArray(new int[][] {Arrays.copyOf(seq, 24)}));
                    int promptLen = p.prompt().length();
                    for (int i = 0; i < t.length(); i++) {
                        assertEquals(logSoftmax(logits, promptLen + i - 1, seq[promptLen + i]), t.logProbs()[i], 1e-5);
                        checked++;
                    }
                    AnswerRollout a = t.answers().get(m);
                    int off = seq.length - a.length();
                    for (int i = 0; i < a.length(); i++) {
                        assertEquals(logSoftmax(logits, off + i - 1, seq[off + i]), a.logProbs()[i], 1e-5);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 40, "checked " + checked);
        // this seed exercises both thought endings: a sampled end-of-thought and a forced one after truncation
        long truncated = batch.prompts().stream().flatMap(p -> p.thoughts().stream()).filter(ThoughtRollout::truncated).count();
        assertTrue(truncated >= 1 && truncated <= 3, "truncated thoughts: " + truncated);
    }

    @Test
    void kvCacheWithAndWithoutSharingAndRecomputeSampleTheSameTrees() {
        RolloutBatch kv = new RolloutEngine(new KvCacheDecoder(POLICY), cfg().build()).rollout(PROMPTS, 77);
        RolloutBatch scratch = new RolloutEngine(new KvCacheDecoder(POLICY), cfg().prefixSharing(false).build()).rollout(PROMPTS, 77);
        RolloutBatch recompute = new RolloutEngine(new RecomputeDecoder(POLICY), cfg().build()).rollout(PROMPTS, 77);
        RolloutBatch again = new RolloutEngine(POLICY.decoder(), cfg().build()).rollout(PROMPTS, 77);
        assertEquals(kv, again, "same seed, same decoder: identical trees");
        assertSameTokens(kv, scratch);
        assertSameTokens(kv, recompute);
    }

    @Test
    void theEngineClosesEveryStateAndOneDecoderSamplesWhatFreshDecodersSample() {
        // long thoughts make the caches grow (capacity prompt + 32, up to the model's length) and early stops compact the
        // answer rows: every state the engine makes (prefill, forks, compactions) is closed by the end of the rollout
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(16).layers(2)
                .heads(2).maxLength(64).seed(5).initStd(0.4).build());
        RolloutConfig config = RolloutConfig.builder().thoughts(3).answersPerThought(4).maxThoughtTokens(44)
                .maxAnswerTokens(12).temperature(TEMP).endOfThoughtToken(4).answerStopTokens(Set.of(2)).build();
        io.github.dl4jgrpoma.rollout.StrictDecoder tracking = new io.github.dl4jgrpoma.rollout.StrictDecoder(
                new KvCacheDecoder(policy));
        RolloutEngine shared = new RolloutEngine(tracking, config);
        List<List<Prompt>> batches = List.of(PROMPTS, List.of(Prompt.ofTokens(1, 7, 7, 3)),
                List.of(Prompt.ofTokens(1, 5, 3), Prompt.ofTokens(1, 6, 3), Prompt.ofTokens(1, 7, 5, 6, 5, 3)));
        for (int i = 0; i < batches.size(); i++) {
            RolloutBatch fresh = new RolloutEngine(new KvCacheDecoder(policy), config).rollout(batches.get(i), 100 + i);
            assertEquals(fresh, shared.rollout(batches.get(i), 100 + i), "batch " + i);
        }
        assertTrue(tracking.innerStates.size() >= 3 * 3, "prefill, thought fork and answer fork per rollout: "
                + tracking.innerStates.size());
        assertTrue(tracking.compactions > 0, "some answer rows were compacted away");
        for (int i = 0; i < tracking.innerStates.size(); i++) {
            assertEquals(1, tracking.closes.get(i)[0], "every state closed once");
            assertEquals(0, ((KvCacheState) tracking.innerStates.get(i)).caches().length, "its caches were freed");
        }
    }

    @Test
    void aClosedStateRefusesFurtherUseButItsForksStayUsable() {
        KvCacheDecoder decoder = new KvCacheDecoder(POLICY);
        io.github.dl4jgrpoma.rollout.DecodingState state = decoder.prefill(new int[][] {{1, 5, 3}, {1, 6}});
        io.github.dl4jgrpoma.rollout.DecodingState fork = state.fork(new int[] {1, 0, 1});
        double[] before = fork.nextLogits().dup().data().asDouble();
        INDArray[] caches = ((KvCacheState) state).caches();
        assertEquals(2 * 2, caches.length, "keys and values of 2 layers");
        state.close();
        for (INDArray a : caches) {
            assertTrue(a.wasClosed(), "closing the state freed its caches");
        }
        state.close();                                         // twice: nothing
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> state.append(new int[] {3, 3}, new boolean[] {true, true}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> state.fork(new int[] {0}));
        io.github.dl4jgrpoma.rollout.DecodingState expected = decoder.prefill(new int[][] {{1, 6}, {1, 5, 3}, {1, 6}});
        fork.append(new int[] {7, 7, 7}, new boolean[] {true, true, true});
        expected.append(new int[] {7, 7, 7}, new boolean[] {true, true, true});
        assertArrayEquals(expected.nextLogits().dup().data().asDouble(), fork.nextLogits().dup().data().asDouble(), 1e-6);
        assertTrue(before.length == 3 * V);
    }

    private static void assertSameTokens(RolloutBatch a, RolloutBatch b) {
        for (int p = 0; p < a.prompts().size(); p++) {
            for (int k = 0; k < 2; k++) {
                ThoughtRollout ta = a.prompts().get(p).thoughts().get(k);
                ThoughtRollout tb = b.prompts().get(p).thoughts().get(k);
                assertArrayEquals(ta.tokens(), tb.tokens());
                assertArrayEquals(ta.logProbs(), tb.logProbs(), 1e-5);
                assertEquals(ta.truncated(), tb.truncated());
                for (int m = 0; m < 3; m++) {
                    assertArrayEquals(ta.answers().get(m).tokens(), tb.answers().get(m).tokens());
                    assertArrayEquals(ta.answers().get(m).logProbs(), tb.answers().get(m).logProbs(), 1e-5);
                }
            }
        }
    }

    /** log softmax(logits[0, pos, :] / TEMP)[tok] in plain Java. */
    private static double logSoftmax(INDArray logits, int pos, int tok) {
        double max = Double.NEGATIVE_INFINITY;
        double[] z = new double[V];
        for (int v = 0; v < V; v++) {
            z[v] = logits.getDouble(0, pos, v) / TEMP;
            max = Math.max(max, z[v]);
        }
        double sum = 0;
        for (double x : z) {
            sum += Math.exp(x - max);
        }
        return z[tok] - max - Math.log(sum);
    }
}
