package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The SameDiff loss and metrics equal the independent plain-Java reference ({@link ReferenceGrpoLoss}). */
class GrpoLossReferenceTest {
    private static final double TOL = 1e-6;

    static List<LossConfig> allConfigs() {
        List<LossConfig> out = new ArrayList<>();
        for (String mode : List.of("sequence-mean", "token-mean", "constant")) {
            out.add(LossConfig.builder().aggregation(mode).thoughtWeight(0.7).build());                     // beta = 0
            for (KlEstimator k : KlEstimator.values()) {
                out.add(LossConfig.builder().aggregation(mode).beta(0.3).klEstimator(k).epsHigh(0.28)
                        .thoughtWeight(1.5).build());
            }
        }
        out.add(LossConfig.builder().aggregation("constant").constantNormalizer(7.0).beta(0.1).build());
        return out;
    }

    @Test
    void lossAndMetricsMatchPlainJavaForEveryModeAndEstimator() {
        int compared = 0;
        for (long seed : new long[] {11, 12}) {
            for (LossConfig cfg : allConfigs()) {
                LossBatch batch = LossBatch.random(4, 6, 5, seed);
                batch.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets), seed + 100);
                ReferenceGrpoLoss.Result expected = ReferenceGrpoLoss.compute(batch, cfg);

                SameDiff sd = SameDiff.create();
                SDVariable logits = sd.var("logits", batch.logitsArray());
                LossGraph g = GrpoLoss.attach(sd, logits, batch.v, cfg);
                List<String> outs = new ArrayList<>(g.metricNames());
                outs.add(g.loss());
                outs.add(g.tokenLogProbs());
                Map<String, INDArray> got = sd.output(batch.feed(g), outs.toArray(new String[0]));
                String what = cfg + " seed " + seed;

                assertClose(expected.loss(), got.get(g.loss()).getDouble(0), what + " loss");
                assertClose(expected.clipLow(), got.get(g.clipFracLow()).getDouble(0), what + " clipLow");
                assertClose(expected.clipHigh(), got.get(g.clipFracHigh()).getDouble(0), what + " clipHigh");
                assertClose(expected.approxKl(), got.get(g.approxKl()).getDouble(0), what + " approxKl");
                assertClose(expected.ratioMean(), got.get(g.ratioMean()).getDouble(0), what + " ratioMean");
                assertClose(expected.entropy(), got.get(g.entropy()).getDouble(0), what + " entropy");
                compared += 6;
                if (cfg.usesReference()) {
                    assertClose(expected.refKl(), got.get(g.refKl().orElseThrow()).getDouble(0), what + " refKl");
                    compared++;
                }
                INDArray tok = got.get(g.tokenLogProbs());
                for (int i = 0; i < batch.b; i++) {
                    for (int j = 0; j < batch.t; j++) {
                        assertClose(expected.tokenLogp()[i][j], tok.getDouble(i, j), what + " tokenLogp");
                        compared++;
                    }
                }
                // the seeded data must exercise both clip sides, or the clip terms are untested
                assertTrue(expected.clipLow() > 0 || expected.clipHigh() > 0, "no clipped token in " + what);
            }
        }
        assertTrue(compared > 500);
    }

    @Test
    void constantModeUsesRowsTimesTByDefaultAndTheConfiguredConstantOtherwise() {
        // one answer token with A = 2, on-policy (r = 1): o = 2; batch 2 x 3 -> C = 6
        LossBatch batch = new LossBatch(2, 3, 4);
        batch.logits = new double[2][3][4];
        batch.answer[0][1] = 1;
        batch.adv[0][1] = 2.0;
        double[][] logp = ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets);
        batch.old[0][1] = logp[0][1];
        for (double c : new double[] {0.0, 4.0}) {
            LossConfig cfg = LossConfig.builder().aggregation("constant").constantNormalizer(c).build();
            SameDiff sd = SameDiff.create();
            LossGraph g = GrpoLoss.attach(sd, sd.var("logits", batch.logitsArray()), 4, cfg);
            double loss = sd.output(batch.feed(g), g.loss()).get(g.loss()).getDouble(0);
            assertEquals(c == 0 ? -2.0 / 6 : -2.0 / 4, loss, 1e-12, "C=" + c);
        }
    }

    @Test
    void sequenceMeanHandComputedExample() {
        // row 0: thought tokens with o = 1, 3 (A = 1, 3, on-policy), answer token with o = -2;
        // row 1: answer tokens with o = 4, 0; no thought.  w_th = 0.5
        // J_th = [2], one thought row -> 2; J_ans = [-2, 2], two answer rows -> 0;  L = -(0.5 * 2 + 0) = -1
        LossBatch batch = new LossBatch(2, 3, 3);
        batch.logits = new double[2][3][3];
        double[][] a = {{1, 3, -2}, {4, 0, 99}};
        batch.thought[0][0] = 1;
        batch.thought[0][1] = 1;
        batch.answer[0][2] = 1;
        batch.answer[1][0] = 1;
        batch.answer[1][1] = 1;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                batch.adv[i][j] = a[i][j];
                batch.old[i][j] = Math.log(1.0 / 3);
            }
        }
        LossConfig cfg = LossConfig.builder().thoughtWeight(0.5).build();
        SameDiff sd = SameDiff.create();
        LossGraph g = GrpoLoss.attach(sd, sd.var("logits", batch.logitsArray()), 3, cfg);
        assertEquals(-1.0, sd.output(batch.feed(g), g.loss()).get(g.loss()).getDouble(0), 1e-12);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
    }
}
