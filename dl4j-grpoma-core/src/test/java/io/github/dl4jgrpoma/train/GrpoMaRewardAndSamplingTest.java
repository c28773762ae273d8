package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.listener.EndReason;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.reward.RewardException;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.reward.RewardScores;

/** Failing rewards (fail fast by default, substitute when configured) and dynamic sampling. */
class GrpoMaRewardAndSamplingTest {

    private static GrpoMaConfig.Builder config() {
        return GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 2).build()).promptsPerStep(4).steps(2).seed(3);
    }

    private static GrpoMaTrainerBuilder builder(TransformerPolicy policy, GrpoMaConfig cfg, CompositeReward reward) {
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits()).reward(reward)
                .config(cfg);
    }

    @Test
    void aThrowingRewardFailsTheRunByDefaultWithItsNameAndEndsWithFailed() {
        RewardFunction boom = RewardFunction.of("boom", ctx -> {
            throw new IllegalStateException("parser crashed");
        });
        Tiny.Recorder rec = new Tiny.Recorder();
        GrpoMaTrainer t = builder(Tiny.policy(8, 1), config().build(), CompositeReward.of(Tiny.parityReward(), boom))
                .listener(rec).build();
        RewardException e = assertThrows(RewardException.class, t::fit);
        assertEquals("boom", e.rewardName());
        assertTrue(e.getMessage().contains("parser crashed"), e.getMessage());
        assertEquals(1, rec.ends.size());
        assertEquals(EndReason.FAILED, rec.ends.get(0).reason());
        assertEquals(0, t.completedSteps());
    }

    @Test
    void nanRewardsAreSubstitutedAndCountedWhenConfigured() {
        RewardFunction sometimesNan = RewardFunction.of("flaky", ctx -> ctx.answerIndex() == 1 ? Double.NaN : 0.5);
        GrpoMaTrainer t = builder(Tiny.policy(8, 1),
                config().rewardErrorPolicy(RewardErrorPolicy.substitute(-1)).build(),
                CompositeReward.of(Tiny.parityReward(), sometimesNan)).build();
        StepResult r = t.step();
        // 4 prompts x 2 thoughts: answer index 1 fails once per thought
        assertEquals(8.0, r.metric("rewards/flaky/failures"), 0);
        assertEquals(0.0, r.metric("rewards/parity/failures"), 0);
        assertEquals((8 * 0.5 + 8 * -1.0) / 16, r.metric("rewards/flaky/mean"), 1e-12);
        for (RewardScores s : r.rewards()) {
            assertEquals(-1.0, s.score("flaky", 0, 1), 0);
            assertEquals(0.5, s.score("flaky", 1, 0), 0);
        }
        RewardException e = assertThrows(RewardException.class, () -> builder(Tiny.policy(8, 1), config().build(),
                CompositeReward.of(Tiny.parityReward(), sometimesNan)).build().step());
        assertEquals("flaky", e.rewardName());
    }

    @Test
    void dropSkipsTheUpdateWhenNoPromptHasRewardSpread() {
        TransformerPolicy policy = Tiny.policy(8, 2);
        Map<String, float[]> before = params(policy);
        GrpoMaTrainer t = builder(policy, config().dynamicSampling(DynamicSampling.DROP).build(),
                CompositeReward.of(RewardFunction.of("constant", ctx -> 1.0))).build();
        StepResult r = t.step();
        assertFalse(r.updated());
        assertEquals(4.0, r.metric("prompts_dropped"), 0);
        assertEquals(1.0, r.metric("update_skipped"), 0);
        assertFalse(r.metrics().containsKey("loss"));
        assertFalse(r.metrics().containsKey("grad_norm"));
        Map<String, float[]> after = params(policy);
        for (String n : before.keySet()) {
            assertArrayEquals(before.get(n), after.get(n), 0f, n);
        }
        assertEquals(1, t.completedSteps());
    }

    @Test
    void dropRemovesExactlyThePromptsWhoseRewardsAreAllEqual() {
        GrpoMaTrainer t = builder(Tiny.policy(8, 3), config().promptsPerStep(8).dynamicSampling(DynamicSampling.DROP)
                .build(), CompositeReward.of(Tiny.parityReward())).build();
        int sawDrop = 0;
        for (int step = 0; step < 2; step++) {
            StepResult r = t.step();
            int expected = 0;
            for (int p = 0; p < r.rewards().size(); p++) {
                double[][] tot = r.rewards().get(p).totals();
                boolean allEqual = tot[0][0] == tot[0][1] && tot[0][0] == tot[1][0] && tot[0][0] == tot[1][1];
                assertEquals(!allEqual, r.kept()[p], "prompt " + p);
                expected += allEqual ? 1 : 0;
            }
            assertEquals(expected, r.metric("prompts_dropped"), 0);
            assertEquals(expected == 8, !r.updated());
            sawDrop += expected;
        }
        assertTrue(sawDrop > 0, "with 4 parity rewards per prompt some groups are constant (p = 1/8 each)");
    }

    /** Issue 9 item 1: totals one rounding step apart have no spread for dynamic sampling and the metrics. */
    @Test
    void totalsThatDifferOnlyByRoundingCountAsAllEqual() {
        RewardFunction near = RewardFunction.of("near", ctx -> Tiny.parity(ctx.answerTokens()) == 1 ? 0.1 + 0.2 : 0.3);
        GrpoMaTrainer t = builder(Tiny.policy(8, 5), config().promptsPerStep(8).dynamicSampling(DynamicSampling.DROP)
                .advantage(io.github.dl4jgrpoma.algo.AdvantageConfig.defaults().withDelta(0)).build(),
                CompositeReward.of(near)).build();
        StepResult r = t.step();
        boolean sawRoundingSpread = false;
        for (RewardScores s : r.rewards()) {
            double[][] tot = s.totals();
            sawRoundingSpread |= tot[0][0] != tot[0][1] || tot[0][0] != tot[1][0] || tot[0][0] != tot[1][1];
        }
        assertTrue(sawRoundingSpread, "some group must mix 0.1 + 0.2 and 0.3");
        assertEquals(8.0, r.metric("prompts_dropped"), 0);
        assertEquals(1.0, r.metric("update_skipped"), 0);
        assertEquals(1.0, r.metric("zero_std_frac/thought"), 0);
        assertEquals(1.0, r.metric("zero_std_frac/answer"), 0);
        assertEquals(0.0, r.metric("adv/answer_std"), 0);
    }

    private static Map<String, float[]> params(TransformerPolicy p) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String n : p.trainableVariables()) {
            out.put(n, p.weight(n).dup().reshape(-1).toFloatVector());
        }
        return out;
    }
}
