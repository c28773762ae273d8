package io.github.dl4jgrpoma.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.data.Prompt;

/**
 * A user-written decoder whose states refuse any use after close() (and count closes): the engine never uses a
 * closed state, closes each state exactly once, and samples what the same decoder without close() samples; for prefix
 * sharing on and off, M = 1 (identity fork) and early-stopping answers (compaction).
 */
class EngineClosesStatesTest {
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
