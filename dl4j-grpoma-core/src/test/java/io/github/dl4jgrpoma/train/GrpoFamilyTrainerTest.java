package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.RewardScaling;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The GRPO-family options inside real trainer steps on a tiny transformer: several updates per rollout with the
 * clipping acting from the second epoch on, entropy-guided token selection, masking of truncated sequences, and the
 * GSPO ratio with batch reward scaling and BNPO.
 */
class GrpoFamilyTrainerTest {

    private static GrpoMaConfig.Builder config(int innerEpochs, LossConfig loss) {
        return GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 3).build()).promptsPerStep(4).steps(3).seed(5)
                .innerEpochs(innerEpochs).loss(loss).optimizer(OptimizerConfig.defaults().withLearningRate(5e-2));
    }

    private static Map<String, Double> step(GrpoMaConfig config) {
        TransformerPolicy policy = Tiny.policy(10, 4);
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).build();
        return t.step().metrics();
    }

    @Test
    void theSecondInnerEpochMovesTheRatioAwayFromOneAndClips() {
        LossConfig tight = LossConfig.builder().epsLow(0.02).epsHigh(0.02).build();
        Map<String, Double> one = step(config(1, tight).build());
        assertEquals(1.0, one.get("ratio/mean"), 1e-5, "one epoch: on-policy");
        assertEquals(0.0, one.get("clip_frac/low") + one.get("clip_frac/high"), 0.0, "one epoch: nothing clipped");
        Map<String, Double> two = step(config(2, tight).build());
        // metrics are means over the epochs; the first epoch is the one-epoch step (same seed, same weights), so
        // the second epoch's values are 2 x mean - first
        double secondRatio = 2 * two.get("ratio/mean") - one.get("ratio/mean");
        double secondClip = 2 * (two.get("clip_frac/low") + two.get("clip_frac/high"));
        assertTrue(Math.abs(secondRatio - 1) > 1e-3 || two.get("approx_kl") > 1e-4,
                "the second epoch sees a moved policy: " + two);
        assertTrue(secondClip > 0.05, "the clip acts in the second epoch: " + two);
        assertTrue(two.get("approx_kl") > 0, "KL(old || new) > 0 after the first update: " + two);
    }

    @Test
    void entropySelectionKeepsTheRequestedFractionOfLossTokens() {
        Map<String, Double> m = step(config(1, LossConfig.builder().entropyTopFraction(0.2).build()).build());
        double kept = 1 - m.get("entropy_select/frac");
        assertTrue(kept >= 0.2 && kept < 0.3, "about 20 % of the loss tokens keep their loss: " + m);
        assertTrue(m.get("entropy_select/threshold") > 0, m.toString());
        assertTrue(m.get("grad_norm") > 0, m.toString());
        assertTrue(!step(config(1, LossConfig.defaults()).build()).containsKey("entropy_select/frac"), "off by default");
    }

    @Test
    void truncatedSequencesAreMaskedAndCounted() {
        GrpoMaConfig c = config(1, LossConfig.builder().maskTruncatedCompletions(true).build())
                .rollout(Tiny.rollout(2, 2, 1, 1).build()).build();
        Map<String, Double> m = step(c);
        assertTrue(m.get("truncated_frac/thought") + m.get("truncated_frac/answer") > 0, m.toString());
        assertTrue(m.get("masked_truncated/tokens") > 0 && m.get("masked_truncated/frac") > 0, m.toString());
        assertTrue(Double.isFinite(m.get("loss")), m.toString());
    }

    @Test
    void gspoWithBatchScalingAndBnpoTrains() {
        GrpoMaConfig c = config(2, LossConfig.builder().importanceRatio("sequence").aggregation("bnpo").epsLow(3e-4)
                .epsHigh(4e-4).build()).advantage(AdvantageConfig.defaults().withScaleRewards(RewardScaling.BATCH)).build();
        Map<String, Double> m = step(c);
        assertTrue(m.get("grad_norm") > 0 && Double.isFinite(m.get("loss")), m.toString());
        assertTrue(m.get("clip_frac/low") + m.get("clip_frac/high") > 0, "GSPO's tight range clips in epoch 2: " + m);
    }
}
