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
 * The update in chunks of whole prompts on two threads equals the one-chunk update in double precision: loss,
 * metrics, gradient norm and the parameters after two steps of two inner epochs each (the second epoch has
 * ratios away from 1), with the reference KL on, for every built-in aggregation.
 */
class ChunkedUpdateTest {

    private static TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                .layers(1).heads(2).maxLength(10).seed(3).initStd(0.3).dataType(DataType.DOUBLE).build());
    }

    private static GrpoMaTrainer trainer(TransformerPolicy policy, String aggregation, double constant, int chunkTokens,
                                         int threads) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).build()).promptsPerStep(4)
                .innerEpochs(2).seed(11).optimizer(OptimizerConfig.defaults().withLearningRate(5e-2))
                .loss(LossConfig.builder().beta(0.04).aggregation(aggregation).constantNormalizer(constant).build()).build();
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).updateChunkTokens(chunkTokens).updateThreads(threads).build();
    }

    @ParameterizedTest
    @CsvSource({"sequence-mean, 0", "token-mean, 0", "constant, 0", "constant, 40"})
    void chunkedUpdateEqualsWholeBatchUpdate(String aggregation, double constant) {
        TransformerPolicy whole = policy();
        TransformerPolicy chunked = policy();
        GrpoMaTrainer a = trainer(whole, aggregation, constant, 1 << 20, 1);
        GrpoMaTrainer b = trainer(chunked, aggregation, constant, 1, 2);
        for (int step = 0; step < 2; step++) {
            Map<String, Double> ma = a.step().metrics();
            Map<String, Double> mb = b.step().metrics();
            assertEquals(1.0, ma.get("update_chunks"));
            assertEquals(4.0, mb.get("update_chunks"), "one chunk per prompt");
            for (String k : List.of("loss", "kl", "approx_kl", "entropy", "ratio/mean", "clip_frac/low", "clip_frac/high",
                    "grad_norm")) {
                assertEquals(ma.get(k), mb.get(k), 1e-10 * Math.max(1, Math.abs(ma.get(k))), aggregation + " " + k);
            }
            assertTrue(ma.get("grad_norm") > 1e-6, "a real gradient: " + ma);
        }
        for (String n : whole.trainableVariables()) {
            double d = whole.weight(n).sub(chunked.weight(n)).amaxNumber().doubleValue();
            assertTrue(d < 1e-10, n + " differs by " + d);
        }
    }
}
