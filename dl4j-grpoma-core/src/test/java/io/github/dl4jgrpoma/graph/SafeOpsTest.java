package io.github.dl4jgrpoma.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SafeOpsTest {

    @Test
    void logSoftmaxMatchesPlainJavaAndStaysFiniteForHugeLogits() {
        SameDiff sd = SameDiff.create();
        double[][] x = {{1, 2, 3, 4}, {1000, -1000, 0, 999}};
        SDVariable in = sd.constant("x", Nd4j.createFromArray(x));
        SafeOps.stableLogSoftmax(sd, "lp", in, 1);
        INDArray lp = sd.output(Map.of(), "lp").get("lp");
        for (int r = 0; r < 2; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : x[r]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : x[r]) {
                sum += Math.exp(v - max);
            }
            for (int c = 0; c < 4; c++) {
                assertEquals(x[r][c] - max - Math.log(sum), lp.getDouble(r, c), 1e-12);
            }
        }
    }

    @Test
    void logSoftmaxAndMinMaxGradientsPassFiniteDifferences() {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(7);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.DOUBLE, 3, 5));
        SDVariable v = sd.var("v", Nd4j.randn(DataType.DOUBLE, 3, 5));
        SDVariable target = sd.constant("t", Nd4j.createFromArray(new int[] {1, 4, 0}));
        SDVariable lp = SafeOps.stableLogSoftmax(sd, null, SafeOps.max(sd, null, w, v.mul(0.5)), 1);
        SDVariable picked = lp.mul(SafeOps.oneHot(sd, target, 5, DataType.DOUBLE)).sum(1);
        SafeOps.min(sd, null, picked, v.sum(1)).sum().rename("loss");
        GradientCheckResult r = GradientCheck.defaults().checkAll(sd, Map.of(), "loss");
        assertTrue(r.passed(), r.toString());
        assertEquals(30, r.checked());
    }

    @Test
    void safeMinOnTiesGivesTheGradientOnceWhereMathMinDoublesIt() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(0.3, -1.2));
        SafeOps.min(sd, null, w.mul(2.0), w.mul(2.0)).sum().rename("loss");
        io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
        INDArray g = sd.calculateGradients(Map.of(), List.of("w")).get("w");
        assertEquals(2.0, g.getDouble(0), 1e-12);
        assertEquals(2.0, g.getDouble(1), 1e-12);
        assertTrue(GradientCheck.defaults().checkAll(sd, Map.of(), "loss").passed());
    }

    @Test
    void unnamedOpsCanBeUsedManyTimesInOneGraph() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(0.3, -1.2));
        SDVariable x = SafeOps.min(sd, null, w, w.mul(2.0));
        x = SafeOps.min(sd, null, x, w.mul(3.0));
        x = SafeOps.max(sd, null, x, w.mul(-1.0));
        x = SafeOps.max(sd, null, x, w.mul(-2.0));
        x = SafeOps.stableLogSoftmax(sd, null, SafeOps.stableLogSoftmax(sd, null, x, 0), 0);
        x.sum().rename("loss");
        assertTrue(GradientCheck.defaults().checkAll(sd, Map.of(), "loss").passed());
    }

    @Test
    void checkerCatchesTheM21MinTieBug() {
        // The checker must be able to fail: sd.math.min(x, x) backprops 2x the true gradient in M2.1.
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.createFromArray(0.3, -1.2));
        sd.math.min(w, w).sum().rename("loss");
        GradientCheckResult r = GradientCheck.defaults().checkAll(sd, Map.of(), "loss");
        assertFalse(r.passed(), "expected the M2.1 min-tie bug to be detected: " + r);
        assertEquals(2, r.failures());
    }
}
