package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.algo.AdvantageEstimators;

/** Defaults and validation messages (field, value, fix) of the trainer configuration. */
class GrpoMaConfigTest {

    private static void assertRejected(Supplier<?> build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
        }
    }

    @Test
    void defaults() {
        GrpoMaConfig c = GrpoMaConfig.builder().build();
        assertEquals("grpo-ma", c.estimator());
        assertEquals(8, c.promptsPerStep());
        assertEquals(1, c.innerEpochs());
        assertEquals(DynamicSampling.OFF, c.dynamicSampling());
        assertEquals(PackingMode.AUTO, c.packing());
        assertEquals(PackingMode.DECOUPLED, c.packing().resolve(AdvantageEstimators.defaults().get(c.estimator())));
        assertEquals(RewardErrorPolicy.fail(), c.rewardErrorPolicy());
        assertEquals(0, c.checkpointEvery());
        assertEquals(3, c.keepCheckpoints());
        assertEquals(1.0, c.successThreshold());
        assertEquals("", c.accuracyReward());
        assertEquals(AdvantageConfig.defaults(), c.advantage());
        assertEquals(LossConfig.defaults(), c.loss());
        assertEquals(OptimizerConfig.defaults(), c.optimizer());
        assertEquals(c, c.toBuilder().build());
        GrpoMaConfig grpo = GrpoMaConfig.builder().estimator("grpo")
                .rollout(RolloutConfig.builder().thoughts(8).answersPerThought(1).build()).build();
        assertEquals(PackingMode.COUPLED, grpo.packing().resolve(AdvantageEstimators.defaults().get(grpo.estimator())));
    }

    @Test
    void groupSizeEstimatorAndPackingAreChecked() {
        assertRejected(() -> GrpoMaConfig.builder().rollout(RolloutConfig.builder().thoughts(1).answersPerThought(1).build())
                .build(), "thoughts x answersPerThought", "1 x 1", "at least 2 answers");
        assertRejected(() -> GrpoMaConfig.builder().estimator("ppo").build(), "estimator = ppo", "[dr-grpo, grpo, grpo-ma]");
        assertRejected(() -> GrpoMaConfig.builder().packing(PackingMode.COUPLED).build(), "COUPLED with M = 4",
                "use DECOUPLED");
        assertRejected(() -> GrpoMaConfig.builder().estimator(" ").build(), "estimator", "grpo-ma (default)");
    }

    @Test
    void countsAndThresholdsAreChecked() {
        assertRejected(() -> GrpoMaConfig.builder().promptsPerStep(0).build(), "promptsPerStep = 0", "at least 1");
        assertRejected(() -> GrpoMaConfig.builder().innerEpochs(0).build(), "innerEpochs = 0", "at least 1");
        assertRejected(() -> GrpoMaConfig.builder().steps(-1).build(), "steps = -1", ">= 0");
        assertRejected(() -> GrpoMaConfig.builder().checkpointEvery(-2).build(), "checkpointEvery = -2", "0 (off)");
        assertRejected(() -> GrpoMaConfig.builder().keepCheckpoints(0).build(), "keepCheckpoints = 0", "at least 1");
        assertRejected(() -> GrpoMaConfig.builder().successThreshold(Double.NaN).build(), "successThreshold = NaN");
        assertRejected(() -> GrpoMaConfig.builder().accuracyReward(null).build(), "accuracyReward = null");
        assertRejected(() -> GrpoMaConfig.builder().rollout(null).build(), "rollout = null");
        // the nested records validate their own ranges with the same style
        assertRejected(() -> RolloutConfig.builder().temperature(0).build(), "temperature = 0.0", "> 0");
        assertRejected(() -> LossConfig.builder().epsLow(1.5).build(), "epsLow", "(0, 1)");
        assertRejected(() -> OptimizerConfig.defaults().withLearningRate(0), "learningRate = 0.0", "positive");
    }

    @Test
    void trainerChecksCapsAgainstTheModelLengthAndNamesTheFix() {
        GrpoMaConfig cfg = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 4, 3).build()).promptsPerStep(2).build();
        // shortest prompt: 1 + 4 + 1 + 3 = 9 > 8
        assertRejected(() -> GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.copyReward()).config(cfg).build(),
                "may reach 9 tokens", "maxLength 8", "maxThoughtTokens + maxAnswerTokens <= 6", "maxLength >= 9");
        // a prompt of 3 tokens only fails when it arrives: 3 + 4 + 1 + 3 = 11 > 10
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(Tiny.policy(10, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.copyReward()).config(cfg).build();
        assertRejected(t::step, "prompt '", "has 3 tokens", "may reach 11 tokens", "maxLength >= 11");
    }

    @Test
    void trainerChecksRewardNamesCheckpointDirectoryAndVocabulary() {
        GrpoMaConfig acc = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 1, 1).build()).accuracyReward("correct").build();
        assertRejected(() -> GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.copyReward()).config(acc).build(), "accuracyReward = correct",
                "[copy]");
        GrpoMaConfig ck = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 1, 1).build()).checkpointEvery(5).build();
        assertRejected(() -> GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.copyReward()).config(ck).build(), "checkpointEvery = 5",
                "checkpointDirectory");
        assertRejected(() -> GrpoMaTrainer.builder().policy(Tiny.policy(8, 1)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).config(ck).build(), "reward is required");
        assertRejected(() -> GrpoMaTrainer.builder().policy(Tiny.policy(8, 1))
                .tokenizer(new io.github.dl4jgrpoma.policy.CharTokenizer("01")).promptSource(Tiny.digits())
                .reward(Tiny.copyReward()).config(GrpoMaConfig.builder().build()).build(), "tokenizer has 7 ids",
                "scores 15");
    }
}
