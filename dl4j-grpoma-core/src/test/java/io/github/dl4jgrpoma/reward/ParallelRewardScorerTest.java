package io.github.dl4jgrpoma.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelRewardScorerTest {
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Releases the spinning rewards of a test when it ends, so no thread outlives it. */
    private volatile boolean release;

    @AfterEach
    void releaseSpinners() {
        release = true;
    }

    private static RewardContext sample(int p, int k, int m) {
        String answer = Integer.toString(10 * k + m);
        return RewardContext.builder().indices(p, k, m).prompt("p" + p).metadata(Map.of("answer", "11"))
                .thought("t", 1).answer(answer, 1, 2).build();
    }

    /** P prompts of K x M samples. */
    private static List<List<List<RewardContext>>> step(int prompts, int k, int m) {
        List<List<List<RewardContext>>> out = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            List<List<RewardContext>> g = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<RewardContext> row = new ArrayList<>();
                for (int j = 0; j < m; j++) {
                    row.add(sample(p, i, j));
                }
                g.add(row);
            }
            out.add(g);
        }
        return out;
    }

    /** Loops until the test releases it, ignoring interrupts (the worst reward there is). */
    private RewardFunction spinsOn(int thought) {
        return RewardFunction.of("spin", ctx -> {
            while (ctx.thoughtIndex() == thought && !release) {
                Thread.onSpinWait();
            }
            return 1.0;
        });
    }

    private static CompositeReward composite(RewardFunction... extra) {
        CompositeReward.Builder b = CompositeReward.builder().add(NumericMatchReward.withDefaults(), 1.0)
                .add(RewardFunction.of("digits", c -> c.answer().length() * 0.25), 0.5);
        for (RewardFunction r : extra) {
            b.add(r, 2.0);
        }
        return b.build();
    }

    @Test
    void matchesTheSerialScorerIncludingSubstitutedFailures() {
        RewardFunction flaky = RewardFunction.of("flaky", c -> {
            if (c.answerIndex() == 1) {
                throw new IllegalStateException("bad answer");
            }
            return c.thoughtIndex() == 2 ? Double.NaN : 0.5;
        });
        CompositeReward comp = composite(flaky);
        RewardErrorPolicy policy = RewardErrorPolicy.substitute(-1);
        List<List<List<RewardContext>>> groups = step(3, 4, 4);
        List<RewardScores> serial = BatchRewardScorer.serial(new RewardScorer(comp, policy)).scoreGroups(groups);
        List<RewardScores> parallel = new ParallelRewardScorer(comp, policy, 3, Duration.ofSeconds(5)).scoreGroups(groups);
        assertEquals(3, parallel.size());
        for (int p = 0; p < 3; p++) {
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(serial.get(p).totals()[k], parallel.get(p).totals()[k], 0.0);
            }
            assertEquals(serial.get(p).failureCounts(), parallel.get(p).failureCounts());
            // per prompt: answer 1 throws on 4 thoughts, thought 2 is NaN on its 3 other answers
            assertEquals(7, parallel.get(p).failureCounts().get("flaky"));
            assertEquals(-1.0, parallel.get(p).score("flaky", 0, 1), 0);
            assertEquals(1.0, parallel.get(p).score("numeric_match", 1, 1), 0);
        }
    }

    /** The thread-pool rollout executors (the trainer's default auto() among them) score their shards at once. */
    @Test
    void concurrentCallersEachGetWhatTheSerialScorerGives() throws Exception {
        RewardFunction flaky = RewardFunction.of("flaky", c -> c.answerIndex() == 1 ? Double.NaN : 0.5);
        CompositeReward comp = composite(flaky);
        RewardErrorPolicy policy = RewardErrorPolicy.substitute(-1);
        ParallelRewardScorer shared = new ParallelRewardScorer(comp, policy, 2, Duration.ofSeconds(5));
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<List<RewardScores>>> calls = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                int prompts = 1 + c % 3;
                calls.add(callers.submit(() -> shared.scoreGroups(step(prompts, 3, 4))));
            }
            for (int c = 0; c < calls.size(); c++) {
                List<RewardScores> serial = BatchRewardScorer.serial(new RewardScorer(comp, policy))
                        .scoreGroups(step(1 + c % 3, 3, 4));
                List<RewardScores> got = calls.get(c).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(serial.size(), got.size());
                for (int p = 0; p < serial.size(); p++) {
                    for (int k = 0; k < 3; k++) {
                        assertArrayEquals(serial.get(p).totals()[k], got.get(p).totals()[k], 0.0, "call " + c);
                    }
                    assertEquals(serial.get(p).failureCounts(), got.get(p).failureCounts(), "call " + c);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void failPolicyThrowsTheFirstFailureInRowMajorOrderLikeTheSerialScorer() {
        RewardFunction boom = RewardFunction.of("boom", c -> {
            if (c.promptIndex() >= 1 && c.answerIndex() >= 1) {
                throw new IllegalArgumentException("boom " + c.promptIndex() + c.thoughtIndex() + c.answerIndex());
            }
            return 0;
        });
        ParallelRewardScorer s = new ParallelRewardScorer(composite(boom), RewardErrorPolicy.fail(), 4, TIMEOUT);
        RewardException e = assertThrows(RewardException.class, () -> s.scoreGroups(step(3, 2, 3)));
        assertEquals("boom", e.rewardName());
        assertEquals(1, e.promptIndex());
        assertEquals(0, e.thoughtIndex());
        assertEquals(1, e.answerIndex());
    }

    @Test
    void aTimeoutUnderFailThrowsWithTheTimeoutAsCauseWithinTheLimit() {
        ParallelRewardScorer s = new ParallelRewardScorer(composite(spinsOn(1)), RewardErrorPolicy.fail(), 2, TIMEOUT);
        long t0 = System.nanoTime();
        RewardException e = assertThrows(RewardException.class, () -> s.scoreGroups(step(1, 2, 2)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("spin", e.rewardName());
        assertInstanceOf(RewardTimeoutException.class, e.getCause());
        assertTrue(e.getMessage().contains("timeout of 200 ms"), e.getMessage());
        assertTrue(ms < 5 * TIMEOUT.toMillis() + 1000, "took " + ms + " ms");
    }

    @Test
    void timeoutsAreSubstitutedAndCountedAndTheRestIsScored() {
        ParallelRewardScorer s = new ParallelRewardScorer(composite(spinsOn(0)), RewardErrorPolicy.substitute(-0.5), 2,
                TIMEOUT);
        List<RewardScores> r = s.scoreGroups(step(2, 2, 2));
        for (RewardScores g : r) {
            assertEquals(Map.of("numeric_match", 0, "digits", 0, "spin", 2), Map.copyOf(g.failureCounts()));
            assertEquals(-0.5, g.score("spin", 0, 0), 0);
            assertEquals(-0.5, g.score("spin", 0, 1), 0);
            assertEquals(1.0, g.score("spin", 1, 0), 0);
            assertEquals(1.0 + 0.5 * 0.5 + 2.0, g.total(1, 1), 1e-12);
        }
    }

    @Test
    void rewardsThatIgnoreInterruptionCannotHangScoringAndTooManyAreAnError() {
        // one thread; every answer of thought 0 spins forever and ignores the interrupt
        ParallelRewardScorer s = new ParallelRewardScorer(composite(spinsOn(0)), RewardErrorPolicy.substitute(0), 1,
                TIMEOUT);
        RewardScores first = s.scoreGroups(step(1, 2, 2)).get(0);
        assertEquals(2, first.failureCounts().get("spin"));
        assertEquals(1.0, first.score("spin", 1, 1), 0, "the pool grew past the stuck threads and scored thought 1");
        // 2 stuck now; the next step adds 2 more (4 = 4 x threads is allowed), the one after passes the cap
        assertEquals(2, s.scoreGroups(step(1, 2, 2)).get(0).failureCounts().get("spin"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.scoreGroups(step(1, 2, 2)));
        assertTrue(e.getMessage().contains("ignore interruption"), e.getMessage());
    }

    @Test
    void validatesItsArguments() {
        CompositeReward c = composite();
        assertThrows(IllegalArgumentException.class, () -> new ParallelRewardScorer(c, RewardErrorPolicy.fail(), 0, TIMEOUT));
        assertThrows(IllegalArgumentException.class,
                () -> new ParallelRewardScorer(c, RewardErrorPolicy.fail(), 1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ParallelRewardScorer(null, RewardErrorPolicy.fail(), 1, TIMEOUT));
        ParallelRewardScorer s = new ParallelRewardScorer(c, RewardErrorPolicy.fail(), 1, TIMEOUT);
        assertThrows(IllegalArgumentException.class, () -> s.scoreGroups(List.of()));
    }
}
