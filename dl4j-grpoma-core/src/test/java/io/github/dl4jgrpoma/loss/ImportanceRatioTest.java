package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.graph.GradFunctions;
import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;
import io.github.dl4jgrpoma.graph.UnsafeOps;

/**
 * GSPO's sequence-level ratio and GSPO-token next to the token ratio: equal to token-level GRPO when the policy has
 * not moved, a hand-computed off-policy case, finite differences (double) for {@code "sequence"}, and the closed-form
 * gradient of {@code "sequence-token"}.
 */
class ImportanceRatioTest {
    private static final int V = 5;

    private static LossConfig cfg(String ratio, String aggregation) {
        return LossConfig.builder().importanceRatio(ratio).aggregation(aggregation).thoughtWeight(0.7).build();
    }

    private record Run(double loss, double clipHigh, double ratioMean, double[][][] logitGrad) {
    }

    private static Run run(LossBatch b, LossConfig c) {
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.var("logits", b.logitsArray());
        LossGraph g = GrpoLoss.attach(sd, logits, V, c);
        UnsafeOps.requireNone(sd, "loss with ratio " + c.importanceRatio());
        Map<String, INDArray> feed = b.feed(g);
        Map<String, INDArray> out = sd.output(feed, g.loss(), g.clipFracHigh(), g.ratioMean());
        GradFunctions.createQuietly(sd);
        INDArray grad = sd.calculateGradients(feed, List.of("logits")).get("logits");
        double[][][] gr = new double[b.b][b.t][V];
        for (int i = 0; i < b.b; i++) {
            for (int j = 0; j < b.t; j++) {
                for (int k = 0; k < V; k++) {
                    gr[i][j][k] = grad.getDouble(i, j, k);
                }
            }
        }
        return new Run(out.get(g.loss()).getDouble(0), out.get(g.clipFracHigh()).getDouble(0),
                out.get(g.ratioMean()).getDouble(0), gr);
    }

    /** Row 0: thought tokens 0-1, answer tokens 2-3; row 1: answer tokens 0-2, position 3 masked. */
    private static LossBatch layout(double[] logRatio0, double[] logRatio1, double[] adv0, double[] adv1) {
        LossBatch b = new LossBatch(2, 4, V);
        b.logits = LossBatch.random(2, 4, V, 41).logits;
        double[][] d = {logRatio0, logRatio1};
        double[][] a = {adv0, adv1};
        for (int j = 0; j < 4; j++) {
            b.targets[0][j] = (j + 1) % V;
            b.targets[1][j] = (2 * j) % V;
            if (j < 2) {
                b.thought[0][j] = 1;
            } else {
                b.answer[0][j] = 1;
            }
            if (j < 3) {
                b.answer[1][j] = 1;
            }
        }
        double[][] logp = ReferenceGrpoLoss.tokenLogp(b.logits, b.targets);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                boolean loss = b.carriesLoss(i, j);
                b.adv[i][j] = loss ? a[i][j] : LossBatch.GARBAGE;
                b.old[i][j] = loss ? logp[i][j] - d[i][j] : -LossBatch.GARBAGE;
            }
        }
        return b;
    }

    @Test
    void withThePolicyNotMovedEveryRatioGivesTheTokenLevelLossAndGradient() {
        LossBatch b = layout(new double[4], new double[4], new double[] {0.8, 0.8, -1.1, -1.1},
                new double[] {0.4, 0.4, 0.4, 0});
        for (String agg : List.of("sequence-mean", "token-mean", "constant", "bnpo")) {
            Run token = run(b, cfg("token", agg));
            for (String ratio : List.of("sequence", "sequence-token")) {
                Run seq = run(b, cfg(ratio, agg));
                assertEquals(token.loss(), seq.loss(), 1e-12, agg + " " + ratio);
                assertEquals(1.0, seq.ratioMean(), 1e-12);
                assertArraysClose(token.logitGrad(), seq.logitGrad(), 1e-12, agg + " " + ratio);
            }
        }
    }

    @Test
    void offPolicyTheSequenceRatioIsTheGeometricMeanClippedPerSequence() {
        double[] d0 = {0.1, 0.3, -0.2, 0.05};
        double[] d1 = {0.25, 0.15, -0.1, 0};
        LossBatch b = layout(d0, d1, new double[] {1.0, 1.0, -0.5, -0.5}, new double[] {2.0, 2.0, 2.0, 0});
        // by hand, GSPO (eps 0.2 / 0.2), sequence-mean, w_th = 0.7:
        //   thought of row 0: s = exp((0.1 + 0.3) / 2) = exp(0.2) = 1.2214 > 1.2, A = +1 -> clipped: 1.2
        //   answer of row 0:  s = exp((-0.2 + 0.05) / 2) = exp(-0.075) = 0.92774, A = -0.5 -> -0.46387
        //   answer of row 1:  s = exp((0.25 + 0.15 - 0.1) / 3) = exp(0.1) = 1.10517, A = +2 -> 2.21034
        //   L = -(0.7 * 1.2 + (-0.46387 + 2.21034) / 2)
        double expected = -(0.7 * 1.2 + (-0.5 * Math.exp(-0.075) + 2 * Math.exp(0.1)) / 2);
        Run gspo = run(b, cfg("sequence", "sequence-mean"));
        assertEquals(expected, gspo.loss(), 1e-12);
        assertEquals(-1.7132, gspo.loss(), 1e-4);
        assertEquals(2.0 / 7, gspo.clipHigh(), 1e-12, "both tokens of the clipped thought, of 7 loss tokens");
        double ratioMean = (2 * Math.exp(0.2) + 2 * Math.exp(-0.075) + 3 * Math.exp(0.1)) / 7;
        assertEquals(ratioMean, gspo.ratioMean(), 1e-12);
        // the token ratio differs: the 0.3 token alone is clipped, the 0.1 token is not
        double tokenThought = (Math.exp(0.1) + 1.2) / 2;
        double tokenAnswer0 = -0.5 * (Math.exp(-0.2) + Math.exp(0.05)) / 2;
        double tokenAnswer1 = 2 * (1.2 + Math.exp(0.15) + Math.exp(-0.1)) / 3;       // exp(0.25) = 1.284 clipped
        Run token = run(b, cfg("token", "sequence-mean"));
        assertEquals(-(0.7 * tokenThought + (tokenAnswer0 + tokenAnswer1) / 2), token.loss(), 1e-12);
        assertNotEquals(token.loss(), gspo.loss(), 1e-3);
        // GSPO-token has the same value (its ratio equals the sequence ratio) and, with one advantage per sequence,
        // the same gradient
        Run gspoToken = run(b, cfg("sequence-token", "sequence-mean"));
        assertEquals(gspo.loss(), gspoToken.loss(), 1e-12);
        assertArraysClose(gspo.logitGrad(), gspoToken.logitGrad(), 1e-12, "GSPO vs GSPO-token");
        // the clipped thought (A > 0, s > 1 + eps) gets no gradient
        for (int j = 0; j < 2; j++) {
            for (int k = 0; k < V; k++) {
                assertEquals(0.0, gspo.logitGrad()[0][j][k], 0.0);
            }
        }
    }

    @Test
    void gspoTokenGradientIsTheSequenceRatioTimesEachTokensOwnAdvantageTerm() {
        double[] d1 = {0.05, -0.02, 0.03, 0};
        double[] adv1 = {1.5, -0.5, 0.25, 0};
        LossBatch b = layout(new double[4], d1, new double[] {1, 1, 1, 1}, adv1);
        Run r = run(b, cfg("sequence-token", "sequence-mean"));
        // row 1 (one answer of 3 tokens, no clipping): L contains -(1/2) (1/3) sum_t s A_t, s = exp(mean d),
        // dL/dlogp_t = -(1/6) s A_t, dlogp_t/dlogits = onehot(y_t) - softmax
        double s = Math.exp((0.05 - 0.02 + 0.03) / 3);
        double[][][] lp = ReferenceGrpoLoss.logSoftmax(b.logits);
        for (int j = 0; j < 3; j++) {
            for (int k = 0; k < V; k++) {
                double dLogp = (k == b.targets[1][j] ? 1 : 0) - Math.exp(lp[1][j][k]);
                assertEquals(-s * adv1[j] / 6 * dLogp, r.logitGrad()[1][j][k], 1e-12, "token " + j + ", logit " + k);
            }
        }
        // GSPO proper spreads the mean advantage instead, so the two differ here
        Run gspo = run(b, cfg("sequence", "sequence-mean"));
        assertEquals(gspo.loss(), r.loss(), 1e-12);
        assertNotEquals(gspo.logitGrad()[1][0][b.targets[1][0]], r.logitGrad()[1][0][b.targets[1][0]], 1e-6);
    }

    @Test
    void sequenceRatioGradientPassesFiniteDifferencesInDouble() {
        GradientCheck logitsCheck = new GradientCheck(1e-6, 1e-5, 1e-8, 24, 5);
        GradientCheck modelCheck = new GradientCheck(1e-6, 1e-5, 1e-8, 8, 6);
        int checked = 0;
        List<LossConfig> configs = new ArrayList<>();
        configs.add(cfg("sequence", "sequence-mean"));
        configs.add(LossConfig.builder().importanceRatio("sequence").aggregation("token-mean").beta(0.3).epsLow(0.05)
                .epsHigh(0.08).build());
        configs.add(LossConfig.builder().importanceRatio("sequence").aggregation("bnpo").beta(0.3)
                .klEstimator(KlEstimator.K2).build());
        for (LossConfig c : configs) {
            LossBatch batch = LossBatch.random(4, 5, 7, 61);
            batch.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets), 62);
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("logits", batch.logitsArray());
            LossGraph g = GrpoLoss.attach(sd, logits, 7, c);
            GradientCheckResult r = logitsCheck.checkAll(sd, batch.feed(g), g.loss());
            assertTrue(r.passed(), "logits " + c + ": " + r);
            checked += r.checked();
            checked += GrpoLossGradientTest.checkTinyModel(c, modelCheck, false);
        }
        assertEquals(3 * (24 + 8 + 8 + 6 + 8 + 7), checked);
    }

    @Test
    void registryRejectsDuplicatesAndNamesTheKnownRatios() {
        ImportanceRatioRegistry r = ImportanceRatioRegistry.defaults();
        assertEquals(List.of("token", "sequence", "sequence-token"), r.names());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> r.register(new TokenRatio()));
        assertTrue(dup.getMessage().contains("'token' is already registered"), dup.getMessage());
        SameDiff sd = SameDiff.create();
        SDVariable logits = sd.var("logits", LossBatch.random(1, 2, V, 1).logitsArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GrpoLoss.attach(sd, logits, V, LossConfig.builder().importanceRatio("seq").build()));
        assertTrue(e.getMessage().contains("'seq'") && e.getMessage().contains("[token, sequence, sequence-token]")
                && e.getMessage().contains("LossConfig.importanceRatio"), e.getMessage());
    }

    private static void assertArraysClose(double[][][] a, double[][][] b, double tol, String what) {
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                for (int k = 0; k < a[i][j].length; k++) {
                    assertEquals(a[i][j][k], b[i][j][k], tol, what + " at " + i + "," + j + "," + k);
                }
            }
        }
    }
}
