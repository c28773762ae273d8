package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The update frees each chunk's gradients once summed and the sum after the optimiser step ({@code GraphUpdater}): with
 * many chunks (several per thread, on one or two threads), two inner epochs and three steps, on the model's own pass and
 * on the differentiated graph, metrics and weights still equal the one-chunk update in double precision. A freed array
 * read again (the sum, a later chunk, the next epoch) would show as a different number or a crash.
 */
class ChunkGradientFreeingTest {

    private static TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                .layers(2).heads(2).maxLength(10).seed(5).initStd(0.3).dataType(DataType.DOUBLE).build());
    }

    private static GrpoMaTrainer trainer(TransformerPolicy policy, boolean modelBackprop, int chunkTokens, int threads) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).build()).promptsPerStep(5)
                .innerEpochs(2).seed(17).optimizer(OptimizerConfig.defaults().withLearningRate(3e-2))
                .loss(LossConfig.builder().beta(0.04).build()).build();
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).updateChunkTokens(chunkTokens).updateThreads(threads)
                .modelBackprop(modelBackprop).build();
    }

    @ParameterizedTest
    @CsvSource({"true, 20, 1", "true, 20, 2", "true, 1, 2", "false, 20, 1", "false, 1, 2"})
    void manyChunksEqualOneChunk(boolean modelBackprop, int chunkTokens, int threads) {
        TransformerPolicy whole = policy();
        TransformerPolicy chunked = policy();
        try (GrpoMaTrainer a = trainer(whole, modelBackprop, 1 << 20, 1);
             GrpoMaTrainer b = trainer(chunked, modelBackprop, chunkTokens, threads)) {
            assertEquals(modelBackprop, b.usesModelBackprop());
            for (int step = 0; step < 3; step++) {
                Map<String, Double> ma = a.step().metrics();
                Map<String, Double> mb = b.step().metrics();
                assertEquals(1.0, ma.get("update_chunks"));
                assertTrue(mb.get("update_chunks") >= 3, "several chunks: " + mb.get("update_chunks"));
                for (String k : List.of("loss", "kl", "approx_kl", "entropy", "ratio/mean", "grad_norm")) {
                    assertEquals(ma.get(k), mb.get(k), 1e-9 * Math.max(1, Math.abs(ma.get(k))), "step " + step + " " + k);
                }
                assertTrue(ma.get("grad_norm") > 1e-6, "a real gradient: " + ma);
            }
        }
        for (String n : whole.trainableVariables()) {
            double d = whole.weight(n).sub(chunked.weight(n)).amaxNumber().doubleValue();
            assertTrue(d < 1e-9, n + " differs by " + d);
        }
    }
}
