package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.reward.RewardFunction;

/** Training with rewards scored on a thread pool with a per-answer timeout. */
class GrpoMaParallelRewardTest {
    private volatile boolean release;

    @AfterEach
    void releaseSpinners() {
        release = true;
    }

    private static GrpoMaConfig.Builder config() {
        return GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 2).build()).promptsPerStep(4).steps(2).seed(3);
    }

    @Test
    void parallelScoringGivesTheSameStepAsSerialScoring() {
        GrpoMaTrainer serial = GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config().build()).build();
        GrpoMaTrainer parallel = GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config().build())
                .parallelRewards(2, Duration.ofSeconds(5)).build();
        StepResult a = serial.step();
        StepResult b = parallel.step();
        for (int p = 0; p < a.rewards().size(); p++) {
            double[][] x = a.rewards().get(p).totals();
            double[][] y = b.rewards().get(p).totals();
            for (int k = 0; k < x.length; k++) {
                assertArrayEquals(x[k], y[k], 0.0);
            }
        }
        assertEquals(a.metric("loss"), b.metric("loss"), 0.0);
    }

    @Test
    void aRewardThatLoopsForeverCannotHangTraining() {
        // answer 1 of every thought never returns and ignores interruption
        RewardFunction loops = RewardFunction.of("loops", ctx -> {
            while (ctx.answerIndex() == 1 && !release) {
                Thread.onSpinWait();
            }
            return 0.25;
        });
        Duration timeout = Duration.ofMillis(100);
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(CompositeReward.of(Tiny.parityReward(), loops))
                .config(config().promptsPerStep(1).rewardErrorPolicy(RewardErrorPolicy.substitute(0)).build())
                .parallelRewards(2, timeout).build();
        long t0 = System.nanoTime();
        StepResult r = t.step();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2.0, r.metric("rewards/loops/failures"), 0, "one looping answer per thought, 2 thoughts");
        assertEquals(0.25, r.rewards().get(0).score("loops", 0, 0), 0);
        assertEquals(0.0, r.rewards().get(0).score("loops", 1, 1), 0);
        assertEquals(1, t.completedSteps());
        assertTrue(ms < 30_000, "a step with two looping answers took " + ms + " ms");
    }
}
