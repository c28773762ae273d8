package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;

import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The fused recompute (old log-probs from the first epoch's own forward, model backprop) against the separate
 * pass (graph differentiated), in cases ModelBackpropTrainerTest does not cover: RECOMPUTE with entropy-selected tokens,
 * three inner epochs, a threaded rollout executor; also the drift metrics must agree.
 */
class FusedRecomputeTest {

    private record Case(String name, RowPacking rows, LossConfig loss, int epochs, boolean threadedRollout) {
    }

    @TestFactory
    Stream<DynamicTest> fusedRecomputeEqualsTheSeparatePass() {
        return Stream.of(
                new Case("recompute + entropy top 0.4, per answer, 3 epochs", RowPacking.PER_ANSWER,
                        LossConfig.builder().beta(0.04).entropyTopFraction(0.4).aggregation("token-mean").build(), 3, false),
                new Case("recompute + entropy top 0.5, auto rows, 2 epochs", RowPacking.AUTO,
                        LossConfig.builder().beta(0).entropyTopFraction(0.5).aggregation("bnpo").build(), 2, false),
                new Case("recompute, rollout on 2 threads, 3 epochs", RowPacking.TREE,
                        LossConfig.builder().beta(0.04).build(), 3, true))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    TransformerPolicy graph = policy();
                    TransformerPolicy own = policy();
                    List<Map<String, Double>> mg = steps(graph, c, false);
                    List<Map<String, Double>> mo = steps(own, c, true);
                    for (int s = 0; s < mg.size(); s++) {
                        for (String k : List.of("loss", "approx_kl", "entropy", "ratio/mean", "grad_norm",
                                "clip_frac/low", "clip_frac/high", "rollout/logprob_diff_max",
                                "rollout/logprob_diff_mean")) {
                            assertTrue(mg.get(s).containsKey(k) && mo.get(s).containsKey(k), k + " in " + mo.get(s));
                            double x = mg.get(s).get(k);
                            assertEquals(x, mo.get(s).get(k), 1e-9 * Math.max(1, Math.abs(x)), "step " + s + " " + k);
                        }
                        assertTrue(mo.get(s).containsKey("time/old_logprobs_ms"), "time metric: " + mo.get(s));
                        assertTrue(mo.get(s).get("update_chunks") > 1, "several chunks: " + mo.get(s));
                    }
                    assertTrue(mg.get(2).get("grad_norm") > 1e-4, "a real gradient: " + mg.get(2));
                    for (String n : graph.trainableVariables()) {
                        double d = graph.weight(n).sub(own.weight(n)).amaxNumber().doubleValue();
                        assertTrue(d < 1e-9, n + " differs by " + d);
                    }
                }));
    }

    private static TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                .layers(2).heads(2).maxLength(10).seed(3).initStd(0.3).dataType(DataType.DOUBLE).build());
    }

    private static List<Map<String, Double>> steps(TransformerPolicy policy, Case c, boolean modelBackprop) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).temperature(1.2).build())
                .promptsPerStep(3).innerEpochs(c.epochs()).seed(11)
                .optimizer(OptimizerConfig.defaults().withLearningRate(1e-2))
                .loss(c.loss()).oldLogProbs(OldLogProbs.RECOMPUTE).build();
        GrpoMaTrainerBuilder b = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).rowPacking(c.rows()).updateChunkTokens(20).updateThreads(2)
                .modelBackprop(modelBackprop);
        if (c.threadedRollout()) {
            b = b.rolloutExecutor(RolloutExecutorFactory.threadPool(2));
        }
        List<Map<String, Double>> out = new ArrayList<>();
        try (GrpoMaTrainer t = b.build()) {
            assertEquals(modelBackprop, t.usesModelBackprop());
            for (int s = 0; s < 3; s++) {
                out.add(t.step().metrics());
            }
        }
        return out;
    }
}
