package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * With the fused recompute (model backprop + RECOMPUTE), a pass whose forward disagrees with the sampler (noise
 * on the training pass's logits, like dropout) must still fail the first-step on-policy check, before any weight moves.
 */
class FusedRecomputeCheckTest {

    private static final class Noisy extends DelegatingPolicy implements LogitsBackprop {
        final LogitsBackprop own;

        Noisy() {
            super(TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                    .layers(2).heads(2).maxLength(10).seed(3).initStd(0.3).dataType(DataType.DOUBLE).build()));
            own = inner.logitsBackprop().orElseThrow();
        }

        @Override
        public Optional<LogitsBackprop> logitsBackprop() {
            return Optional.of(this);
        }

        @Override
        public INDArray logits(PolicyInput input, Map<String, INDArray> weights) {
            return own.logits(input, weights);
        }

        @Override
        public Map<String, INDArray> gradients(PolicyInput input, Map<String, INDArray> weights, UnaryOperator<INDArray> g) {
            return own.gradients(input, weights, logits -> g.apply(logits.add(Nd4j.rand(logits.dataType(), logits.shape()).muli(4))));
        }
    }

    @Test
    void aTrainingPassThatDisagreesWithTheSamplerFailsTheFirstStepBeforeTheWeightsMove() {
        Noisy policy = new Noisy();
        Map<String, INDArray> before = new HashMap<>();
        policy.parameters().forEach((k, v) -> before.put(k, v.dup()));
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).build()).promptsPerStep(3)
                .innerEpochs(2).seed(11).oldLogProbs(OldLogProbs.RECOMPUTE).build();
        try (GrpoMaTrainer t = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).updateChunkTokens(20).updateThreads(2).build()) {
            assertTrue(t.usesModelBackprop());
            IllegalStateException e = assertThrows(IllegalStateException.class, t::step);
            System.out.println("check message: " + e.getMessage());
        }
        policy.parameters().forEach((k, v) -> assertEquals(0.0, v.sub(before.get(k)).amaxNumber().doubleValue(), 0.0, k));
    }
}
