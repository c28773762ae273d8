package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;

import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The update with the policy's own forward and backward pass ({@link ModelBackprop}) against the update that
 * differentiates the policy graph, in double precision: same metrics and same weights after several trainer steps, in
 * every configuration that changes what the update computes (tree rows and one row per answer, several chunks on two
 * threads, two inner epochs, a reference model, a sampling temperature, recomputed old log-probs, entropy-selected
 * tokens).
 */
class ModelBackpropTrainerTest {

    private record Case(String name, RowPacking rows, LossConfig loss, double temperature, OldLogProbs old) {
    }

    @TestFactory
    Stream<DynamicTest> stepsEqualTheGraphDifferentiatedSteps() {
        return Stream.of(
                new Case("tree rows, KL to the reference", RowPacking.TREE, LossConfig.builder().beta(0.04).build(), 1.0,
                        OldLogProbs.AUTO),
                new Case("one row per answer, no reference, temperature 0.7", RowPacking.PER_ANSWER,
                        LossConfig.builder().beta(0).build(), 0.7, OldLogProbs.AUTO),
                new Case("tree rows, recomputed old log-probs, temperature 1.3", RowPacking.TREE,
                        LossConfig.builder().beta(0.1).build(), 1.3, OldLogProbs.RECOMPUTE),
                new Case("entropy-selected tokens", RowPacking.PER_ANSWER,
                        LossConfig.builder().beta(0.04).entropyTopFraction(0.4).build(), 1.0, OldLogProbs.AUTO))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    TransformerPolicy graph = policy();
                    TransformerPolicy own = policy();
                    List<Map<String, Double>> mg = steps(graph, c, false);
                    List<Map<String, Double>> mo = steps(own, c, true);
                    for (int s = 0; s < mg.size(); s++) {
                        for (String k : List.of("loss", "approx_kl", "entropy", "ratio/mean", "grad_norm", "clip_frac/low",
                                "clip_frac/high")) {
                            double x = mg.get(s).get(k);
                            assertEquals(x, mo.get(s).get(k), 1e-9 * Math.max(1, Math.abs(x)), "step " + s + " " + k);
                        }
                        if (c.loss().usesReference()) {
                            assertEquals(mg.get(s).get("kl"), mo.get(s).get("kl"), 1e-9, "step " + s + " kl");
                        }
                    }
                    assertTrue(mg.get(2).get("grad_norm") > 1e-4, "a real gradient: " + mg.get(2));
                    for (String n : graph.trainableVariables()) {
                        double d = graph.weight(n).sub(own.weight(n)).amaxNumber().doubleValue();
                        assertTrue(d < 1e-9, n + " differs by " + d);
                    }
                }));
    }

    @Test
    void theGraphIsDifferentiatedWhenAskedOrWhenTheModelHasNoPassOfItsOwn() {
        Case c = new Case("default", RowPacking.AUTO, LossConfig.builder().build(), 1.0, OldLogProbs.AUTO);
        GrpoMaTrainer own = trainer(policy(), c, true);
        GrpoMaTrainer graph = trainer(policy(), c, false);
        assertTrue(own.usesModelBackprop());
        assertFalse(graph.usesModelBackprop());
        // the step-end collection's default interval follows the update's kind (graph updates leave far more garbage)
        assertEquals(GrpoMaTrainerBuilder.DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL, own.collectionInterval());
        assertEquals(1, graph.collectionInterval());
        own.close();
        graph.close();
        TransformerPolicy inner = policy();
        io.github.dl4jgrpoma.policy.PolicyModel withoutOwnPass = new DelegatingPolicy(inner);
        assertFalse(GrpoMaTrainer.builder().policy(withoutOwnPass).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 3).build())
                        .promptsPerStep(2).build()).build().usesModelBackprop(),
                "a model without logitsBackprop() is differentiated through its graph");
    }

    @Test
    void aClosedTrainerRefusesToStep() {
        GrpoMaTrainer t = trainer(policy(), new Case("closed", RowPacking.AUTO, LossConfig.builder().build(), 1.0,
                OldLogProbs.AUTO), true);
        t.step();
        t.close();
        t.close();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, t::step);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    private static TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                .layers(2).heads(2).maxLength(10).seed(3).initStd(0.3).dataType(DataType.DOUBLE).build());
    }

    private static GrpoMaTrainer trainer(TransformerPolicy policy, Case c, boolean modelBackprop) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).temperature(c.temperature()).build())
                .promptsPerStep(3).innerEpochs(2).seed(11).optimizer(OptimizerConfig.defaults().withLearningRate(1e-2))
                .loss(c.loss()).oldLogProbs(c.old()).build();
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).rowPacking(c.rows()).updateChunkTokens(20).updateThreads(2)
                .modelBackprop(modelBackprop).build();
    }

    private static List<Map<String, Double>> steps(TransformerPolicy policy, Case c, boolean modelBackprop) {
        GrpoMaTrainer t = trainer(policy, c, modelBackprop);
        assertEquals(modelBackprop, t.usesModelBackprop());
        List<Map<String, Double>> out = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            out.add(t.step().metrics());
        }
        return out;
    }
}
