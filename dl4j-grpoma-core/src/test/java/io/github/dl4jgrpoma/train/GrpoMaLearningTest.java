package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.optim.OptimizerConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.listener.EndReason;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * End to end, from random weights (no SFT): GRPO-MA (T4A4, 8 prompts per step, one thought token, one answer
 * token) teaches a 1-layer width-32 transformer to answer {@code <bos> d <think>} with the digit d. A random
 * policy is right about 1/15 of the time; the test requires the first 5 steps to average below 0.3 and the last
 * 5 steps to average above 0.9 within 200 steps (measured: about 60 steps, 5 s on a 2-core VM).
 */
class GrpoMaLearningTest {
    private static final Logger LOG = LoggerFactory.getLogger(GrpoMaLearningTest.class);
    private static final int WINDOW = 5;

    @Test
    void learnsToCopyTheDigitFromRandomWeights() {
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder()
                .vocabSize(Tiny.TOKENIZER.vocabSize()).width(32).layers(1).heads(2).maxLength(8).seed(3).initStd(0.1)
                .build());
        GrpoMaConfig cfg = GrpoMaConfig.builder().rollout(Tiny.rollout(4, 4, 1, 1).build()).promptsPerStep(8).steps(200)
                .seed(11).optimizer(OptimizerConfig.defaults().withLearningRate(1e-2)).build();
        List<Double> curve = new ArrayList<>();
        TrainingListener stopWhenLearned = new TrainingListener() {
            @Override
            public ListenerResponse onStep(StepEvent e) {
                curve.add(e.metrics().get("reward/mean"));
                return curve.size() >= WINDOW && mean(curve.subList(curve.size() - WINDOW, curve.size())) > 0.9
                        ? ListenerResponse.stop("learned") : ListenerResponse.CONTINUE;
            }
        };
        long t0 = System.currentTimeMillis();
        TrainingResult r = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.copyReward()).config(cfg).listener(stopWhenLearned).build().fit();
        long ms = System.currentTimeMillis() - t0;
        LOG.info("digit copy: {} steps, {} ms, reward curve {}", r.completedSteps(), ms, curve);
        assertTrue(mean(curve.subList(0, WINDOW)) < 0.3, "starts near chance: " + curve);
        assertEquals(EndReason.EARLY_STOPPED, r.reason(), "did not reach 0.9 in 200 steps: " + curve);
        assertTrue(mean(curve.subList(curve.size() - WINDOW, curve.size())) > 0.9);
        assertEquals(1.0, r.finalMetrics().get("accuracy"), 0.15);
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
