package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;

/**
 * Finite-difference (double precision) checks of the loss gradient, w.r.t. logits and w.r.t. the
 * parameters of a tiny model, for every aggregation mode and KL setting, with ratios inside and outside
 * the clip range and mixed masks (including a fully masked row with garbage inputs).
 */
class GrpoLossGradientTest {
    private static final Logger LOG = LoggerFactory.getLogger(GrpoLossGradientTest.class);
    private static final int B = 4;
    private static final int T = 5;
    private static final int V = 7;

    static List<LossConfig> gradientConfigs() {
        List<LossConfig> out = new ArrayList<>();
        for (String mode : List.of("sequence-mean", "token-mean", "constant")) {
            out.add(LossConfig.builder().aggregation(mode).thoughtWeight(0.6).build());
            for (KlEstimator k : KlEstimator.values()) {
                out.add(LossConfig.builder().aggregation(mode).beta(0.4).klEstimator(k).epsHigh(0.28)
                        .thoughtWeight(1.3).build());
            }
        }
        return out;
    }

    @Test
    void lossGradientPassesFiniteDifferencesForEveryModeAndKlSetting() {
        GradientCheck logitsCheck = new GradientCheck(1e-6, 1e-5, 1e-8, 24, 3);
        GradientCheck modelCheck = new GradientCheck(1e-6, 1e-5, 1e-8, 8, 4);
        int total = 0;
        int nonZeroLogitGrads = 0;
        for (LossConfig cfg : gradientConfigs()) {
            // (a) w.r.t. the logits themselves
            LossBatch batch = LossBatch.random(B, T, V, 21);
            batch.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets), 22);
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("logits", batch.logitsArray());
            LossGraph g = GrpoLoss.attach(sd, logits, V, cfg);
            Map<String, INDArray> feed = batch.feed(g);
            GradientCheckResult r = logitsCheck.checkAll(sd, feed, g.loss());
            assertTrue(r.passed(), "logits " + cfg + ": " + r);
            total += r.checked();
            io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
            INDArray grad = sd.calculateGradients(feed, List.of("logits")).get("logits");
            nonZeroLogitGrads += grad.neq(0.0).castTo(DataType.INT32).sumNumber().intValue();

            // (b) w.r.t. the parameters of a tiny model, old/ref perturbed from its own log-probs
            total += checkTinyModel(cfg, modelCheck, false);
        }
        LOG.info("finite-difference check: {} gradient entries over {} configurations (logits + tiny model)",
                total, gradientConfigs().size());
        assertTrue(nonZeroLogitGrads > 100, "the data must produce non-zero gradients");
        // per configuration: 24 logits entries + emb 8, w1 8, b1 6 (all), w_out 8, b_out 7 (all)
        assertEquals(9 * (24 + 8 + 8 + 6 + 8 + 7), total);
    }

    /** Builds model + loss, sets old/ref around the model's own log-probs, runs the check; returns entries. */
    static int checkTinyModel(LossConfig cfg, GradientCheck check, boolean onPolicy) {
        SameDiff sd = SameDiff.create();
        SDVariable logits = TinyPolicy.build(sd, T, V, 4, 6, 31);
        LossGraph g = GrpoLoss.attach(sd, logits, V, cfg);
        LossBatch batch = LossBatch.random(B, T, V, 32);
        Map<String, INDArray> feed = new HashMap<>(batch.feed(g));
        feed.put(TinyPolicy.TOKENS, TinyPolicy.tokens(B, T, V, 33));
        double[][] logp = sd.output(feed, g.tokenLogProbs()).get(g.tokenLogProbs()).toDoubleMatrix();
        batch.perturbOldAndRef(logp, 34);
        if (onPolicy) {
            batch.old = logp;
        }
        feed.putAll(batch.feed(g));
        GradientCheckResult r = check.checkAll(sd, feed, g.loss());
        assertTrue(r.passed(), "tiny model " + cfg + (onPolicy ? " on-policy" : "") + ": " + r);
        return r.checked();
    }

    @Test
    void metricsCanBeReadInTheTrainingPassWithoutChangingTheGradient() {
        LossConfig cfg = LossConfig.builder().beta(0.2).aggregation("token-mean").build();
        SameDiff sd = SameDiff.create();
        SDVariable logits = TinyPolicy.build(sd, T, V, 4, 6, 71);
        LossGraph g = GrpoLoss.attach(sd, logits, V, cfg);
        LossBatch batch = LossBatch.random(B, T, V, 72);
        Map<String, INDArray> feed = new HashMap<>(batch.feed(g));
        feed.put(TinyPolicy.TOKENS, TinyPolicy.tokens(B, T, V, 73));
        batch.perturbOldAndRef(sd.output(feed, g.tokenLogProbs()).get(g.tokenLogProbs()).toDoubleMatrix(), 74);
        feed.putAll(batch.feed(g));
        List<String> params = List.of("emb", "w1", "b1", "w_out", "b_out");
        io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
        Map<String, INDArray> plain = sd.calculateGradients(feed, params);
        List<String> outputs = new ArrayList<>(g.metricNames());
        outputs.add(g.loss());
        outputs.add(g.tokenLogProbs());
        var both = sd.calculateGradientsAndOutputs(feed, outputs, params);
        Map<String, INDArray> direct = sd.output(feed, outputs.toArray(new String[0]));
        for (String p : params) {
            assertEquals(plain.get(p), both.getGradients().get(p), p);
        }
        for (String o : outputs) {
            assertEquals(direct.get(o), both.getOutputs().get(o), o);
        }
    }
}
