package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.listener.EndReason;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.AdvantageEstimator;
import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.algo.Advantages;
import org.nd4j.linalg.api.buffer.DataType;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * One real GRPO-MA step on a tiny transformer: every trainable array changes, the metrics are finite and
 * consistent with the rollout, and listeners see phase "rl" with the right step numbers; fit honours STOP.
 */
class GrpoMaTrainerStepTest {

    private static GrpoMaConfig.Builder config() {
        return GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 3).build()).promptsPerStep(4).steps(3).seed(7)
                .optimizer(OptimizerConfig.defaults().withLearningRate(1e-2));
    }

    @Test
    void oneStepChangesEveryTrainableParameterAndReportsFiniteMetrics() {
        TransformerPolicy policy = Tiny.policy(10, 1);
        Map<String, INDArray> before = new LinkedHashMap<>();
        for (String n : policy.trainableVariables()) {
            before.put(n, policy.weight(n).dup());
        }
        Tiny.Recorder rec = new Tiny.Recorder();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config().build()).listener(rec).build();
        StepResult r = trainer.step();

        assertTrue(r.updated());
        assertTrue(r.metric("adv/answer_std") > 0.1, "rewards must have spread: " + r.metrics());
        for (String n : policy.trainableVariables()) {
            double diff = policy.weight(n).sub(before.get(n)).amaxNumber().doubleValue();
            assertTrue(diff > 0, "parameter " + n + " did not change");
        }
        for (Map.Entry<String, Double> e : r.metrics().entrySet()) {
            assertTrue(Double.isFinite(e.getValue()), e.getKey() + " = " + e.getValue());
        }
        for (String name : List.of("reward/mean", "reward/std", "rewards/parity/mean", "accuracy", "loss", "approx_kl",
                "clip_frac/low", "clip_frac/high", "ratio/mean", "entropy", "grad_norm", "len/thought", "len/answer",
                "tokens_per_s", "time/rollout_ms", "prompts_dropped")) {
            assertTrue(r.metrics().containsKey(name), "missing metric " + name + " in " + r.metrics().keySet());
        }
        assertFalse(r.metrics().containsKey("grad_spike_score"), "no history on the first step");
        assertFalse(r.metrics().containsKey("kl"), "beta = 0: no reference KL");
        // on-policy first epoch: the ratio is 1 up to float error, nothing clipped
        assertEquals(1.0, r.metric("ratio/mean"), 1e-4);
        assertEquals(0.0, r.metric("approx_kl"), 1e-6);
        assertEquals(0.0, r.metric("clip_frac/low") + r.metric("clip_frac/high"), 0);
        // reward mean agrees with an independent recount over the rollout tree
        double sum = 0;
        int n = 0;
        for (var p : r.rollouts().prompts()) {
            for (var t : p.thoughts()) {
                for (var a : t.answers()) {
                    sum += Tiny.parity(a.tokens());
                    n++;
                }
            }
        }
        assertEquals(4 * 2 * 2, n);
        assertEquals(sum / n, r.metric("reward/mean"), 1e-12);
        assertEquals(1, rec.steps.size());
        StepEvent e = rec.steps.get(0);
        assertEquals(StepEvent.PHASE_RL, e.phase());
        assertEquals(1, e.step());
        assertEquals(3, e.totalSteps());
        assertEquals(r.metrics(), e.metrics());
        assertEquals(1, trainer.completedSteps());
    }

    @Test
    void fitRunsTheRemainingStepsStopsOnRequestAndReportsSpikeScoresWithAReferenceKl() {
        TransformerPolicy policy = Tiny.policy(10, 2);
        Tiny.Recorder rec = new Tiny.Recorder();
        rec.stopAfter = 2;
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward())
                .config(config().loss(LossConfig.builder().beta(0.1).build()).innerEpochs(2).build()).listener(rec)
                .build();
        TrainingResult result = trainer.fit();
        assertEquals(EndReason.EARLY_STOPPED, result.reason());
        assertEquals("enough", result.detail());
        assertEquals(2, result.completedSteps());
        assertEquals(1, rec.starts.size());
        assertEquals(1, rec.ends.size());
        assertEquals(EndReason.EARLY_STOPPED, rec.ends.get(0).reason());
        assertEquals(List.of(1L, 2L), rec.steps.stream().map(StepEvent::step).toList());
        Map<String, Double> m2 = rec.steps.get(1).metrics();
        assertTrue(m2.containsKey("grad_spike_score"));
        assertEquals(m2.get("grad_norm") / rec.steps.get(0).metrics().get("grad_norm"), m2.get("grad_spike_score"), 1e-12);
        // first step: reference = policy, so the mean over the two epochs is the second epoch's KL / 2 > 0 but tiny
        assertTrue(rec.steps.get(0).metrics().get("kl") >= -1e-6);
        assertTrue(m2.get("kl") > 0, "after an update the policy differs from the reference: " + m2);
    }

    @Test
    void sameDiffListenersArePassedThroughAndSeeTheRawGradients() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        org.nd4j.autodiff.listeners.BaseListener spy = new org.nd4j.autodiff.listeners.BaseListener() {
            @Override
            public boolean isActive(org.nd4j.autodiff.listeners.Operation operation) {
                return true;
            }

            @Override
            public void activationAvailable(org.nd4j.autodiff.samediff.SameDiff sd, org.nd4j.autodiff.listeners.At at,
                                            org.nd4j.linalg.dataset.api.MultiDataSet batch,
                                            org.nd4j.autodiff.samediff.internal.SameDiffOp op, String varName,
                                            INDArray activation) {
                seen.add(varName);
            }
        };
        TransformerPolicy policy = Tiny.policy(10, 4);
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config().build())
                .sameDiffListeners(List.of(spy)).build();
        trainer.step();
        assertTrue(seen.contains(TransformerPolicy.W_HEAD + "-grad"), "seen " + seen.size() + " activations");
        assertTrue(seen.contains(trainer.lossGraph().loss()));
    }

    @Test
    void plainGrpoPacksCoupledAndUsesOnlyTheAnswerMask() {
        TransformerPolicy policy = Tiny.policy(10, 5);
        GrpoMaConfig cfg = GrpoMaConfig.builder().estimator("grpo").rollout(Tiny.rollout(6, 1, 2, 2).build())
                .promptsPerStep(3).steps(1).seed(8).build();
        INDArray head = policy.weight(TransformerPolicy.W_HEAD).dup();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(cfg).build();
        assertEquals(PackingMode.COUPLED, trainer.packing());
        StepResult r = trainer.step();
        assertTrue(r.updated());
        assertTrue(policy.weight(TransformerPolicy.W_HEAD).sub(head).amaxNumber().doubleValue() > 0);
        // with M = 1 the GRPO advantage of each response is its thought advantage as well
        for (var a : r.advantages()) {
            for (int k = 0; k < 6; k++) {
                assertEquals(a.thoughtAdvantage(k), a.answerAdvantage(k, 0), 1e-12);
            }
        }
        assertTrue(Double.isFinite(r.metric("loss")));
    }

    @Test
    void theEstimatorDecidesHowAdvantagesMapToTokens() {
        // a user's own estimator declares coupled packing; no name check anywhere decides it
        AdvantageEstimator grpo = AdvantageEstimators.defaults().get("grpo");
        AdvantageEstimator mine = new AdvantageEstimator() {
            @Override
            public String name() {
                return "my-whole-response";
            }

            @Override
            public PackingMode packing() {
                return PackingMode.COUPLED;
            }

            @Override
            public Advantages estimate(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
                return grpo.estimate(rewards, cfg, promptIndex);
            }
        };
        AdvantageEstimators registry = AdvantageEstimators.defaults().register(mine);
        GrpoMaConfig m1 = GrpoMaConfig.builder().estimator(mine.name()).rollout(Tiny.rollout(4, 1, 2, 2).build())
                .promptsPerStep(2).steps(1).seed(3).build(registry);
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(Tiny.policy(10, 5)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).estimators(registry).config(m1).build();
        assertEquals(PackingMode.COUPLED, t.packing());
        StepResult r = t.step();
        PackedBatch packed = new BatchPacker(10, DataType.FLOAT, 0).pack(r.rollouts(), r.advantages(), r.kept(), t.packing());
        assertEquals(0.0, packed.thoughtMask().sumNumber().doubleValue(), "coupled packing puts everything in the answer mask");
        // a coupled estimator with M > 1 is rejected when the trainer is built, naming the estimator and the fix
        GrpoMaConfig m2 = m1.toBuilder().rollout(Tiny.rollout(2, 2, 2, 2).build()).build(registry);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpoMaTrainer.builder()
                .policy(Tiny.policy(10, 5)).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits()).reward(Tiny.parityReward())
                .estimators(registry).config(m2).build());
        assertTrue(e.getMessage().contains("my-whole-response") && e.getMessage().contains("needs M = 1"), e.getMessage());
    }
}
