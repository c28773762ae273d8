package io.github.dl4jgrpoma.rollout;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.Prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The engine on a fixed-logits bigram "model": tree shape, stop tokens, caps, log-probs, seeds, sharing. */
class RolloutEngineTest {
    // ids: 0 PAD, 1 BOS, 2 EOS, 3 BOT, 4 EOT, 5 'x', 6 'y'
    private static final double[][] TABLE = {
            {0, 0, 0, 0, 0, 0, 0},
            {-9, -9, 0.0, 0.5, 0.2, 1.0, 0.3},
            {-9, -9, 0.1, -1.0, 0.4, 1.0, 0.0},
            {-9, -9, -0.5, -9, 0.0, 1.2, 0.8},
            {-9, -9, 0.3, -9, -2.0, 0.9, 0.7},
            {-9, -9, 0.2, -1.0, 0.1, 0.0, 0.6},
            {-9, -9, -0.2, -2.0, 0.6, 0.4, 0.0},
    };
    private static final List<Prompt> PROMPTS = List.of(Prompt.ofTokens(1, 3), Prompt.ofTokens(1, 5, 6, 5, 3));
    private static final double TEMP = 0.8;

    private static RolloutConfig.Builder cfg() {
        return RolloutConfig.builder().thoughts(3).answersPerThought(2).maxThoughtTokens(5).maxAnswerTokens(4)
                .temperature(TEMP).endOfThoughtToken(4).answerStopTokens(Set.of(2));
    }

    /** Plain-Java log softmax(TABLE[prev] / TEMP)[tok]. */
    private static double logProb(int prev, int tok) {
        double[] row = TABLE[prev];
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v / TEMP);
        }
        double sum = 0;
        for (double v : row) {
            sum += Math.exp(v / TEMP - max);
        }
        return row[tok] / TEMP - max - Math.log(sum);
    }

    private static boolean contains(int[] a, int x, int upTo) {
        for (int i = 0; i < upTo; i++) {
            if (a[i] == x) {
                return true;
            }
        }
        return false;
    }

    @Test
    void treesRespectStopsCapsAndRecordPolicyLogProbs() {
        int thoughtStops = 0;
        int thoughtCaps = 0;
        int answerStops = 0;
        int answerCaps = 0;
        for (long seed = 0; seed < 20; seed++) {
            BigramDecoder dec = new BigramDecoder(TABLE, 32);
            RolloutBatch batch = new RolloutEngine(dec, cfg().build()).rollout(PROMPTS, seed);
            assertEquals(List.of(2), dec.prefillRows, "prefix sharing prefills the prompts once");
            assertEquals(2, batch.prompts().size());
            for (int p = 0; p < 2; p++) {
                PromptRollout pr = batch.prompts().get(p);
                assertArrayEquals(PROMPTS.get(p).tokens(), pr.promptTokens());
                assertEquals(3, pr.thoughts().size());
                for (int k = 0; k < 3; k++) {
                    ThoughtRollout t = pr.thoughts().get(k);
                    int[] tok = t.tokens();
                    assertTrue(tok.length >= 1 && tok.length <= 5);
                    if (t.truncated()) {
                        thoughtCaps++;
                        assertEquals(5, tok.length);
                        assertFalse(contains(tok, 4, tok.length));
                        assertEquals(6, t.contextTokens().length);
                        assertArrayEquals(tok, Arrays.copyOf(t.contextTokens(), 5));
                        assertEquals(4, t.contextTokens()[5]);
                    } else {
                        thoughtStops++;
                        assertEquals(4, tok[tok.length - 1]);
                        assertFalse(contains(tok, 4, tok.length - 1));
                        assertArrayEquals(tok, t.contextTokens());
                    }
                    int prev = PROMPTS.get(p).tokens()[PROMPTS.get(p).length() - 1];
                    for (int i = 0; i < tok.length; i++) {
                        assertEquals(logProb(prev, tok[i]), t.logProbs()[i], 1e-12);
                        prev = tok[i];
                    }
                    assertEquals(2, t.answers().size());
                    for (int m = 0; m < 2; m++) {
                        AnswerRollout a = t.answers().get(m);
                        int[] at = a.tokens();
                        if (a.truncated()) {
                            answerCaps++;
                            assertEquals(4, at.length);
                            assertFalse(contains(at, 2, at.length));
                        } else {
                            answerStops++;
                            assertEquals(2, at[at.length - 1]);
                            assertFalse(contains(at, 2, at.length - 1));
                        }
                        int[] seq = pr.sequence(k, m);
                        int off = seq.length - at.length;
                        for (int i = 0; i < at.length; i++) {
                            assertEquals(at[i], seq[off + i]);
                            assertEquals(logProb(seq[off + i - 1], at[i]), a.logProbs()[i], 1e-12);
                        }
                    }
                }
            }
        }
        assertTrue(thoughtStops > 0 && thoughtCaps > 0 && answerStops > 0 && answerCaps > 0,
                "both outcomes must occur: " + thoughtStops + " " + thoughtCaps + " " + answerStops + " " + answerCaps);
    }

    @Test
    void lengthCapsTruncateAndFlagWhenNoStopTokenCanBeSampled() {
        double[][] noStop = new double[TABLE.length][];
        for (int i = 0; i < TABLE.length; i++) {
            noStop[i] = TABLE[i].clone();
            noStop[i][2] = -1e9;
            noStop[i][4] = -1e9;
        }
        RolloutBatch b = new RolloutEngine(new BigramDecoder(noStop, 32), cfg().build()).rollout(PROMPTS, 5);
        for (PromptRollout p : b.prompts()) {
            for (ThoughtRollout t : p.thoughts()) {
                assertTrue(t.truncated());
                assertEquals(5, t.length());
                assertEquals(6, t.contextTokens().length);
                assertEquals(4, t.contextTokens()[5]);
                for (AnswerRollout a : t.answers()) {
                    assertTrue(a.truncated());
                    assertEquals(4, a.length());
                }
            }
        }
        assertEquals(2 * 3 * (5 + 2 * 4), b.sampledTokens());
    }

    @Test
    void stopTokensEndSequencesAtOnce() {
        double[][] stopNow = new double[TABLE.length][TABLE.length];
        for (double[] row : stopNow) {
            Arrays.fill(row, -1e9);
            row[5] = 0;
        }
        stopNow[3][4] = 0;        // after BOT: EOT for sure
        stopNow[3][5] = -1e9;
        stopNow[4][2] = 0;        // after EOT: EOS for sure
        stopNow[4][5] = -1e9;
        RolloutBatch b = new RolloutEngine(new BigramDecoder(stopNow, 32), cfg().build()).rollout(PROMPTS, 9);
        for (PromptRollout p : b.prompts()) {
            for (ThoughtRollout t : p.thoughts()) {
                assertArrayEquals(new int[] {4}, t.tokens());
                assertFalse(t.truncated());
                assertEquals(0.0, t.logProbs()[0], 1e-9);
                for (AnswerRollout a : t.answers()) {
                    assertArrayEquals(new int[] {2}, a.tokens());
                    assertFalse(a.truncated());
                }
            }
        }
    }

    @Test
    void sameSeedSameRolloutsWithOrWithoutPrefixSharing() {
        BigramDecoder shared = new BigramDecoder(TABLE, 32);
        BigramDecoder scratch = new BigramDecoder(TABLE, 32);
        RolloutBatch a = new RolloutEngine(shared, cfg().build()).rollout(PROMPTS, 42);
        RolloutBatch b = new RolloutEngine(new BigramDecoder(TABLE, 32), cfg().build()).rollout(PROMPTS, 42);
        RolloutBatch c = new RolloutEngine(scratch, cfg().prefixSharing(false).build()).rollout(PROMPTS, 42);
        RolloutBatch d = new RolloutEngine(new BigramDecoder(TABLE, 32), cfg().build()).rollout(PROMPTS, 43);
        assertEquals(a, b);
        assertEquals(a, c);
        assertNotEquals(a, d);
        assertEquals(List.of(2), shared.prefillRows);
        assertEquals(List.of(6, 12), scratch.prefillRows, "without sharing: P*K thought rows, then P*K*M answer rows");
        assertTrue(scratch.consumed > shared.consumed, scratch.consumed + " vs " + shared.consumed);
    }

    @Test
    void aPromptGetsTheSameRolloutWhereverItSitsInTheBatchAndWhateverTheBatchSize() {
        Prompt x = new Prompt("x", new int[] {1, 3});
        Prompt y = new Prompt("y", new int[] {1, 5, 6, 5, 3});
        Prompt z = new Prompt("z", new int[] {1, 6, 3});
        RolloutEngine engine = new RolloutEngine(new BigramDecoder(TABLE, 32), cfg().build());
        PromptRollout alone = engine.rollout(List.of(x), 42).prompts().get(0);
        List<List<Prompt>> batches = List.of(List.of(x, y, z), List.of(z, x), List.of(y, z, x), List.of(y, y, z, z, x));
        for (List<Prompt> batch : batches) {
            List<PromptRollout> out = engine.rollout(batch, 42).prompts();
            assertEquals(alone, out.get(batch.indexOf(x)), "x in " + batch.stream().map(Prompt::text).toList());
        }
        for (boolean sharing : new boolean[] {true, false}) {
            RolloutEngine e = new RolloutEngine(new BigramDecoder(TABLE, 32), cfg().prefixSharing(sharing).build());
            assertEquals(alone, e.rollout(List.of(y, x), 42).prompts().get(1), "prefix sharing " + sharing);
        }
        // a prompt's rollout is keyed by its id: same tokens under another id sample independently
        PromptRollout renamed = engine.rollout(List.of(new Prompt("x2", "x", new int[] {1, 3},
                Conditioning.none(), java.util.Map.of())), 42).prompts().get(0);
        assertNotEquals(alone.thoughts(), renamed.thoughts());
        // duplicates of one id in a batch are sampled independently; the first one is the prompt's own rollout
        List<PromptRollout> twice = engine.rollout(List.of(x, x), 42).prompts();
        assertEquals(alone, twice.get(0));
        assertNotEquals(twice.get(0).thoughts(), twice.get(1).thoughts());
    }

    @Test
    void rejectsPromptsThatCannotFitAndBadTokens() {
        RolloutEngine e = new RolloutEngine(new BigramDecoder(TABLE, 12), cfg().build());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.rollout(List.of(Prompt.ofTokens(1, 5, 3)), 1));
        assertTrue(ex.getMessage().contains("13 tokens") && ex.getMessage().contains("maximum length 12"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RolloutEngine(new BigramDecoder(TABLE, 32),
                cfg().endOfThoughtToken(7).build()));
        assertThrows(IllegalArgumentException.class, () -> new RolloutEngine(new BigramDecoder(TABLE, 32),
                cfg().answerStopTokens(Set.of(9)).build()));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> cfg().thoughts(0).build());
        assertTrue(c.getMessage().contains("thoughts = 0"), c.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cfg().answerStopTokens(Set.of()).build());
    }

    /**
     * A decoder whose states refuse any use after close(): the engine never uses a closed state, closes each state
     * exactly once, and samples what the same decoder without close() samples; prefix sharing on and off, M = 1
     * (identity fork) and early-stopping answers (compaction).
     */
    @Test
    void theEngineNeverUsesAClosedStateAndClosesEachOnce() {
        for (boolean sharing : new boolean[] {true, false}) {
            for (int m : new int[] {1, 3}) {
                RolloutConfig cfg = RolloutConfig.builder().thoughts(3).answersPerThought(m).maxThoughtTokens(5)
                        .maxAnswerTokens(6).temperature(0.8).endOfThoughtToken(4).answerStopTokens(Set.of(2, 5))
                        .prefixSharing(sharing).build();
                StrictDecoder strict = new StrictDecoder(new BigramDecoder(TABLE, 32));
                RolloutBatch got = new RolloutEngine(strict, cfg).rollout(PROMPTS, 7);
                RolloutBatch expected = new RolloutEngine(new BigramDecoder(TABLE, 32), cfg).rollout(PROMPTS, 7);
                String what = "sharing " + sharing + ", M " + m;
                assertEquals(expected, got, what);
                assertTrue(strict.closes.size() >= 2, what + ": states " + strict.closes.size());
                for (int[] c : strict.closes) {
                    assertEquals(1, c[0], what + ": every state closed exactly once");
                }
            }
        }
    }
}
