package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The trainer really routes the update through {@link PolicyModel#logitsBackprop()}: {@code ModelBackpropTrainerTest}
 * compares model backprop with the graph, which also passes when the update silently differentiates the graph in both
 * runs. Counts the calls of a delegating pass: one gradient per chunk and epoch, one logits pass per chunk for the
 * reference log-probs (the recomputed old log-probs come from the first epoch's gradient pass).
 */
class ModelBackpropRoutingTest {

    /** The transformer behind a plain PolicyModel whose own pass counts its calls. */
    private static final class Counting extends DelegatingPolicy implements LogitsBackprop {
        final LogitsBackprop own;
        final AtomicInteger logits = new AtomicInteger();
        final AtomicInteger gradients = new AtomicInteger();
        /** Variable the pass leaves out of its result (null: none); the result is an immutable map. */
        volatile String drop;
        /** Every gradient array the pass returned (the transformer's own arrays: none is a view). */
        final java.util.List<INDArray> returned = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        /** When set, the pass returns views of arrays it keeps here instead of its own fresh arrays. */
        volatile java.util.Map<String, INDArray> kept;

        Counting() {
            super(TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                    .layers(2).heads(2).maxLength(10).seed(3).initStd(0.3).dataType(DataType.DOUBLE).build()));
            own = inner.logitsBackprop().orElseThrow();
        }

        @Override
        public Optional<LogitsBackprop> logitsBackprop() { return Optional.of(this); }

        public INDArray logits(PolicyInput input, Map<String, INDArray> weights) {
            logits.incrementAndGet();
            return own.logits(input, weights);
        }

        public Map<String, INDArray> gradients(PolicyInput input, Map<String, INDArray> weights, UnaryOperator<INDArray> g) {
            gradients.incrementAndGet();
            Map<String, INDArray> out = new java.util.LinkedHashMap<>(own.gradients(input, weights, g));
            if (drop != null) {
                out.remove(drop);
            }
            if (kept != null) {
                out.replaceAll((name, grad) -> {
                    INDArray keep = grad.dup().reshape(grad.length());
                    kept.put(name + "#" + kept.size(), keep);
                    return keep.reshape(grad.shape());               // a view of an array the pass keeps
                });
            }
            returned.addAll(out.values());
            return Map.copyOf(out);
        }
    }

    @Test
    void theUpdateRunsTheModelsOwnPass() {
        Counting policy = new Counting();
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).build()).promptsPerStep(3)
                .innerEpochs(2).seed(11).optimizer(OptimizerConfig.defaults().withLearningRate(1e-2))
                .loss(LossConfig.builder().beta(0.04).build()).oldLogProbs(OldLogProbs.RECOMPUTE).build();
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).updateChunkTokens(20).updateThreads(2).build();
        assertTrue(t.usesModelBackprop());
        Map<String, Double> m = t.step().metrics();
        int chunks = m.get("update_chunks").intValue();
        t.close();
        assertTrue(chunks > 1, "several chunks: " + m);
        assertEquals(2 * chunks, policy.gradients.get(), "one gradient pass per chunk and inner epoch");
        // the old log-probs come from the first epoch's own forward (no separate pass): only the reference runs logits()
        assertEquals(chunks, policy.logits.get(), "one logits pass per chunk, for the reference log-probs");
        assertTrue(m.containsKey("rollout/logprob_diff_max"), "the recomputed old log-probs were compared: " + m);
    }

    /** A trainer of the default config (one inner epoch) on {@code policy}, chunks of 20 tokens on 2 threads. */
    private static GrpoMaTrainer defaultTrainer(Counting policy) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).build()).promptsPerStep(3)
                .seed(11).build();
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).updateChunkTokens(20).updateThreads(2).build();
    }

    @Test
    void theReturnedGradientsAreFreedAfterTheOptimiserStepAndViewsAreLeftAlone() {
        Counting policy = new Counting();
        GrpoMaTrainer t = defaultTrainer(policy);
        Map<String, Double> m = t.step().metrics();
        assertTrue(m.get("update_chunks") > 1, "several chunks: " + m);
        assertTrue(!policy.returned.isEmpty());
        for (INDArray g : policy.returned) {
            assertTrue(g.wasClosed(), "a chunk gradient still holds its memory after the step");
        }
        policy.returned.clear();
        policy.kept = new java.util.concurrent.ConcurrentHashMap<>();
        double before = policy.parameters().get("h1_w2").sumNumber().doubleValue();
        t.step();
        t.close();
        assertTrue(!policy.kept.isEmpty());
        for (INDArray k : policy.kept.values()) {
            assertTrue(!k.wasClosed() && Double.isFinite(k.sumNumber().doubleValue()), "an array the pass keeps was freed");
        }
        assertTrue(before != policy.parameters().get("h1_w2").sumNumber().doubleValue(), "the step still updated the weights");
    }

    @Test
    void aPassThatReturnsAnImmutableMapWorksAndOneThatMissesAVariableIsNamed() {
        Counting policy = new Counting();
        GrpoMaTrainer t = defaultTrainer(policy);
        t.step();                                          // Map.copyOf results: the trainer copies before scaling
        policy.drop = "h1_w2";
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, t::step);
        t.close();
        assertTrue(e.getMessage().contains("no gradient for the trainable variable 'h1_w2'"), e.getMessage());
    }
}
