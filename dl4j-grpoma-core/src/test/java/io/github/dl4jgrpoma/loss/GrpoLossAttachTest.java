package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.UnsafeOps;

/** Structure of the attached graph: names, placeholder types, no broken ops, argument validation. */
class GrpoLossAttachTest {

    @Test
    void betaZeroAddsNoReferencePlaceholderAndTheGraphHasNoBrokenOps() {
        for (String mode : AggregationRegistry.defaults().names()) {
            SameDiff sd = SameDiff.create();
            SDVariable logits = TinyPolicy.build(sd, 5, 7, 4, 6, 1);
            LossGraph g = GrpoLoss.attach(sd, logits, 7, LossConfig.builder().aggregation(mode).build());
            assertEquals(List.of("grpo_targets", "grpo_thought_mask", "grpo_answer_mask", "grpo_advantages",
                    "grpo_old_logprobs"), g.placeholderNames());
            assertEquals(Optional.empty(), g.refLogProbs());
            assertEquals(Optional.empty(), g.refKl());
            assertFalse(sd.hasVariable("grpo_ref_logprobs"));
            long placeholders = sd.variables().stream()
                    .filter(v -> v.getVariableType() == VariableType.PLACEHOLDER).count();
            assertEquals(6, placeholders, "tokens + 5 loss placeholders");
            assertEquals(List.of(g.loss()), sd.getLossVariables());
            assertTrue(UnsafeOps.find(sd).isEmpty(), mode + ": " + UnsafeOps.find(sd));
        }
        SameDiff sd = SameDiff.create();
        LossGraph g = GrpoLoss.attach(sd, TinyPolicy.build(sd, 5, 7, 4, 6, 1), 7,
                LossConfig.builder().beta(0.1).aggregation("token-mean").build());
        assertEquals(Optional.of("grpo_ref_logprobs"), g.refLogProbs());
        assertEquals(Optional.of("grpo_ref_kl"), g.refKl());
        assertTrue(UnsafeOps.find(sd).isEmpty(), UnsafeOps.find(sd).toString());
        assertEquals(List.of("grpo_clip_frac_low", "grpo_clip_frac_high", "grpo_approx_kl", "grpo_ratio_mean",
                "grpo_ref_kl", "grpo_entropy"), g.metricNames());
    }

    @Test
    void placeholdersTakeTheLogitsTypeAndTargetsAreInt() {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.placeHolder("my_logits", DataType.FLOAT, -1, -1, 6);
        LossGraph g = GrpoLoss.attach(sd, logits, 6, LossConfig.builder().beta(0.2).build());
        assertEquals(DataType.INT32, sd.getVariable(g.targets()).dataType());
        for (String name : List.of(g.thoughtMask(), g.answerMask(), g.advantages(), g.oldLogProbs(),
                g.refLogProbs().orElseThrow())) {
            assertEquals(DataType.FLOAT, sd.getVariable(name).dataType(), name);
            assertEquals(VariableType.PLACEHOLDER, sd.getVariable(name).getVariableType(), name);
        }
        // float forward pass with a T the graph never saw: on-policy, A = 1 on one answer token -> loss -1
        Map<String, INDArray> feed = new HashMap<>(g.feed(Nd4j.createFromArray(new int[][] {{2, 3}}),
                Nd4j.createFromArray(new float[][] {{0, 0}}), Nd4j.createFromArray(new float[][] {{0, 1}}),
                Nd4j.createFromArray(new float[][] {{5, 1}}), Nd4j.createFromArray(new float[][] {{0, (float) Math.log(1.0 / 6)}}),
                Nd4j.createFromArray(new float[][] {{0, (float) Math.log(1.0 / 6)}})));
        feed.put("my_logits", Nd4j.zeros(DataType.FLOAT, 1, 2, 6));
        assertEquals(-1.0, sd.output(feed, g.loss()).get(g.loss()).getDouble(0), 1e-6);
    }

    @Test
    void customPrefixAndCustomAggregationFromARegistry() {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.var("logits", Nd4j.zeros(DataType.DOUBLE, 1, 2, 3));
        AggregationRegistry registry = AggregationRegistry.defaults().register(new LossAggregation() {
            @Override
            public String name() {
                return "sum";
            }

            @Override
            public SDVariable aggregate(AggregationContext c) {
                return c.objective().sum().neg();
            }
        });
        LossGraph first = GrpoLoss.attach(sd, logits, 3, LossConfig.builder().aggregation("sum").build(), registry, "a_");
        LossGraph second = GrpoLoss.attach(sd, logits, 3, LossConfig.defaults(), registry, "b_");
        assertEquals("a_loss", first.loss());
        assertEquals("b_targets", second.targets());
        assertEquals(List.of("a_loss", "b_loss"), sd.getLossVariables());
        // on-policy, A = [2, 3] on two answer tokens: sum mode -> -5, sequence-mean -> -(2 + 3)/2
        double lp = Math.log(1.0 / 3);
        for (LossGraph g : List.of(first, second)) {
            Map<String, INDArray> feed = g.feed(Nd4j.createFromArray(new int[][] {{0, 1}}),
                    Nd4j.zeros(DataType.DOUBLE, 1, 2), Nd4j.ones(DataType.DOUBLE, 1, 2),
                    Nd4j.createFromArray(new double[][] {{2, 3}}), Nd4j.createFromArray(new double[][] {{lp, lp}}), null);
            double expected = g == first ? -5.0 : -2.5;
            assertEquals(expected, sd.output(feed, g.loss()).get(g.loss()).getDouble(0), 1e-12);
        }
    }

    @Test
    void badArgumentsAreRejectedWithUsefulMessages() {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.var("logits", Nd4j.zeros(DataType.DOUBLE, 1, 2, 3));
        LossConfig cfg = LossConfig.defaults();
        assertMessage(() -> GrpoLoss.attach(sd, logits, 4, cfg), "[B,T,4]");
        assertMessage(() -> GrpoLoss.attach(sd, logits, 1, cfg), "vocabSize");
        assertMessage(() -> GrpoLoss.attach(sd, sd.var("flat", Nd4j.zeros(DataType.DOUBLE, 2, 3)), 3, cfg), "[B,T,3]");
        assertMessage(() -> GrpoLoss.attach(sd, sd.placeHolder("ids", DataType.INT32, -1, -1, 3), 3, cfg), "FLOAT or DOUBLE");
        assertMessage(() -> GrpoLoss.attach(sd, logits, 3, cfg.toBuilder().aggregation("dapo").build()),
                "known: [sequence-mean, token-mean, constant, bnpo]");
        assertMessage(() -> GrpoLoss.attach(sd, logits, 3, cfg, AggregationRegistry.defaults(), " "), "prefix");
        GrpoLoss.attach(sd, logits, 3, cfg);
        assertMessage(() -> GrpoLoss.attach(sd, logits, 3, cfg), "already has a variable named 'grpo_targets'");
    }

    @Test
    void feedRequiresReferenceExactlyWhenBetaIsPositive() {
        SameDiff sd = SameDiff.create();
        LossGraph g = GrpoLoss.attach(sd, sd.var("logits", Nd4j.zeros(DataType.DOUBLE, 1, 2, 3)), 3, LossConfig.defaults());
        INDArray z = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        INDArray ids = Nd4j.zeros(DataType.INT32, 1, 2);
        assertMessage(() -> g.feed(ids, z, z, z, z, z), "refLogProbs must be given exactly when beta > 0");
        assertEquals(5, g.feed(ids, z, z, z, z, null).size());
    }

    private static void assertMessage(Executable call, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
