package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;

/**
 * Where the gradient must be zero (clipped on the advantage's side, masked tokens, fully masked rows and
 * batches) and where it must be exactly the on-policy policy gradient (ratio inside the clip range: the
 * M2.1 min-tie trap).
 */
class GrpoLossClipAndMaskTest {
    private static final Logger LOG = LoggerFactory.getLogger(GrpoLossClipAndMaskTest.class);
    private static final List<String> MODES = List.of("sequence-mean", "token-mean", "constant");

    /** Token layout of the clip test: {A, log ratio}; NaN marks a masked position. */
    private static final double[][][] CLIP_LAYOUT = {
        {{+1, +0.5}, {-1, -0.5}, {+1, -0.5}, {-1, +0.5}},       // clipped high, clipped low, free, free
        {{Double.NaN, 0}, {+1, 0.0}, {Double.NaN, 0}, {-1, +0.05}},  // masked, inside, masked, inside (thought)
    };

    private static LossBatch clipBatch() {
        LossBatch b = new LossBatch(2, 4, 5);
        b.logits = LossBatch.random(2, 4, 5, 5).logits;
        double[][] logp = ReferenceGrpoLoss.tokenLogp(b.logits, b.targets);     // targets all 0
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                double[] cell = CLIP_LAYOUT[i][j];
                if (Double.isNaN(cell[0])) {
                    b.adv[i][j] = LossBatch.GARBAGE;
                    b.old[i][j] = -LossBatch.GARBAGE;
                    b.ref[i][j] = LossBatch.GARBAGE;
                    b.targets[i][j] = 99;                                        // out of vocabulary
                    continue;
                }
                if (i == 1 && j == 3) {
                    b.thought[i][j] = 1;
                } else {
                    b.answer[i][j] = 1;
                }
                b.adv[i][j] = cell[0];
                b.old[i][j] = logp[i][j] - cell[1];
                b.ref[i][j] = logp[i][j] + 0.3;
            }
        }
        return b;
    }

    @Test
    void clippedSideGetsZeroGradientOtherSideAndInsideDoNotMaskedGetExactlyZero() {
        for (String mode : MODES) {
            LossBatch batch = clipBatch();
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("logits", batch.logitsArray());
            LossGraph g = GrpoLoss.attach(sd, logits, 5, LossConfig.builder().aggregation(mode).build());
            Map<String, INDArray> feed = batch.feed(g);
            io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
            INDArray grad = sd.calculateGradients(feed, List.of("logits")).get("logits");
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 4; j++) {
                    double maxAbs = grad.get(NDArrayIndex.point(i),
                            NDArrayIndex.point(j),
                            NDArrayIndex.all()).amaxNumber().doubleValue();
                    boolean clippedOnSide = i == 0 && j < 2;
                    boolean masked = Double.isNaN(CLIP_LAYOUT[i][j][0]);
                    if (clippedOnSide || masked) {
                        assertEquals(0.0, maxAbs, 0.0, mode + " token " + i + "," + j + " must get exactly 0");
                    } else {
                        assertTrue(maxAbs > 1e-3, mode + " token " + i + "," + j + " must get a gradient, got " + maxAbs);
                    }
                }
            }
            Map<String, INDArray> m = sd.output(feed, g.clipFracLow(), g.clipFracHigh(), g.ratioMean());
            // 6 loss tokens; one with A<0, r<0.8 and one with A>0, r>1.2
            assertEquals(1.0 / 6, m.get(g.clipFracLow()).getDouble(0), 1e-12);
            assertEquals(1.0 / 6, m.get(g.clipFracHigh()).getDouble(0), 1e-12);
            double ratioMean = (2 * Math.exp(0.5) + 2 * Math.exp(-0.5) + 1 + Math.exp(0.05)) / 6;
            assertEquals(ratioMean, m.get(g.ratioMean()).getDouble(0), 1e-12);
        }
    }

    @Test
    void fullyMaskedRowWithGarbageGivesFiniteLossAndExactlyZeroRowGradient() {
        for (LossConfig cfg : GrpoLossGradientTest.gradientConfigs()) {
            LossBatch batch = LossBatch.random(3, 4, 5, 41);                 // last row fully masked, garbage
            batch.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets), 42);
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("logits", batch.logitsArray());
            LossGraph g = GrpoLoss.attach(sd, logits, 5, cfg);
            Map<String, INDArray> feed = batch.feed(g);
            Map<String, INDArray> out = sd.output(feed, g.metricNames().toArray(new String[0]));
            for (INDArray metric : out.values()) {
                assertTrue(Double.isFinite(metric.getDouble(0)), cfg + " metric " + metric);
            }
            io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
            INDArray grad = sd.calculateGradients(feed, List.of("logits")).get("logits");
            assertTrue(allFinite(grad), cfg + " gradient has NaN/inf");
            assertEquals(0.0, grad.get(NDArrayIndex.point(2)).amaxNumber().doubleValue(), 0.0);
            assertTrue(grad.amaxNumber().doubleValue() > 1e-4, cfg + " other rows must learn");
            assertTrue(Double.isFinite(sd.output(feed, g.loss()).get(g.loss()).getDouble(0)));
        }
    }

    @Test
    void fullyMaskedBatchGivesZeroLossZeroGradientAndZeroMetrics() {
        for (String mode : MODES) {
            LossBatch batch = LossBatch.random(2, 3, 4, 51);
            for (double[] row : batch.thought) {
                Arrays.fill(row, 0);
            }
            for (double[] row : batch.answer) {
                Arrays.fill(row, 0);
            }
            batch.perturbOldAndRef(new double[2][3], 52);                     // all garbage now
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("logits", batch.logitsArray());
            LossConfig cfg = LossConfig.builder().aggregation(mode).beta(0.3).build();
            LossGraph g = GrpoLoss.attach(sd, logits, 4, cfg);
            Map<String, INDArray> feed = batch.feed(g);
            assertEquals(0.0, sd.output(feed, g.loss()).get(g.loss()).getDouble(0), 0.0, mode);
            for (INDArray metric : sd.output(feed, g.metricNames().toArray(new String[0])).values()) {
                assertEquals(0.0, metric.getDouble(0), 0.0, mode);
            }
            io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
            INDArray grad = sd.calculateGradients(feed, List.of("logits")).get("logits");
            assertEquals(0.0, grad.amaxNumber().doubleValue(), 0.0, mode);
        }
    }

    @Test
    void insideClipRangeTheGradientIsThePlainPolicyGradientNotDoubled() {
        int checked = 0;
        GradientCheck fd = new GradientCheck(1e-6, 1e-5, 1e-8, 30, 8);
        for (String mode : MODES) {
            LossConfig cfg = LossConfig.builder().aggregation(mode).thoughtWeight(0.5).build();
            LossBatch batch = LossBatch.random(3, 4, 5, 61);
            double[][][] lp = ReferenceGrpoLoss.logSoftmax(batch.logits);
            batch.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets), 62);
            batch.old = ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets);   // on-policy: r = 1 everywhere
            SameDiff sd = SameDiff.create();
            SDVariable logits = sd.var("logits", batch.logitsArray());
            LossGraph g = GrpoLoss.attach(sd, logits, 5, cfg);
            Map<String, INDArray> feed = batch.feed(g);
            io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
            INDArray grad = sd.calculateGradients(feed, List.of("logits")).get("logits");
            double[][] weight = policyGradientWeights(batch, cfg);
            for (int i = 0; i < batch.b; i++) {
                for (int j = 0; j < batch.t; j++) {
                    for (int k = 0; k < batch.v; k++) {
                        // dL/dz_k = -c A r (1[k = y] - p_k), r = 1
                        double indicator = k == batch.targets[i][j] ? 1 : 0;
                        double expected = batch.carriesLoss(i, j)
                                ? -weight[i][j] * batch.adv[i][j] * (indicator - Math.exp(lp[i][j][k])) : 0.0;
                        assertEquals(expected, grad.getDouble(i, j, k), 1e-12, mode + " at " + i + "," + j + "," + k);
                    }
                }
            }
            GradientCheckResult r = fd.checkAll(sd, feed, g.loss());
            assertTrue(r.passed(), mode + ": " + r);
            checked += r.checked();
            checked += GrpoLossGradientTest.checkTinyModel(cfg, new GradientCheck(1e-6, 1e-5, 1e-8, 8, 9), true);
        }
        LOG.info("on-policy (tie) finite-difference check: {} gradient entries", checked);
        assertEquals(3 * (30 + 8 + 8 + 6 + 8 + 7), checked);
    }

    /** The aggregation weight c[b,t] of each loss token's objective, from the three modes' equations. */
    private static double[][] policyGradientWeights(LossBatch x, LossConfig cfg) {
        double w = cfg.thoughtWeight();
        double[][] c = new double[x.b][x.t];
        int tokens = 0;
        int rowsTh = 0;
        int rowsAns = 0;
        int[] nTh = new int[x.b];
        int[] nAns = new int[x.b];
        for (int i = 0; i < x.b; i++) {
            for (int j = 0; j < x.t; j++) {
                nTh[i] += (int) x.thought[i][j];
                nAns[i] += (int) x.answer[i][j];
            }
            tokens += nTh[i] + nAns[i];
            rowsTh += nTh[i] > 0 ? 1 : 0;
            rowsAns += nAns[i] > 0 ? 1 : 0;
        }
        for (int i = 0; i < x.b; i++) {
            for (int j = 0; j < x.t; j++) {
                double tokenWeight = w * x.thought[i][j] + x.answer[i][j];
                switch (cfg.aggregation()) {
                    case "token-mean" -> c[i][j] = tokenWeight / tokens;
                    case "constant" -> c[i][j] = tokenWeight / (x.b * x.t);
                    default -> c[i][j] = x.thought[i][j] == 1 ? w / ((double) nTh[i] * rowsTh)
                            : x.answer[i][j] == 1 ? 1.0 / ((double) nAns[i] * rowsAns) : 0;
                }
            }
        }
        return c;
    }

    private static boolean allFinite(INDArray a) {
        for (double d : a.reshape(a.length()).toDoubleVector()) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }
}
