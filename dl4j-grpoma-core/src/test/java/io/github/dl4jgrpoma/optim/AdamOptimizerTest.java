package io.github.dl4jgrpoma.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamOptimizerTest {

    /** Plain-Java Adam(W) with global-norm clipping: the reference the ND4J-backed optimiser must match. */
    private static void referenceStep(double[][] theta, double[][] g, double[][] m, double[][] v, int t,
                                      OptimizerConfig c) {
        referenceStep(theta, g, m, v, t, c, c.learningRate());
    }

    /** The same with the step's learning rate {@code lr} given (a schedule's value at step t). */
    private static void referenceStep(double[][] theta, double[][] g, double[][] m, double[][] v, int t,
                                      OptimizerConfig c, double lr) {
        double sq = 0;
        for (double[] gi : g) {
            for (double x : gi) {
                sq += x * x;
            }
        }
        double norm = Math.sqrt(sq);
        double scale = c.maxGradNorm() > 0 && norm > c.maxGradNorm() ? c.maxGradNorm() / norm : 1;
        for (int p = 0; p < theta.length; p++) {
            for (int i = 0; i < theta[p].length; i++) {
                double gi = g[p][i] * scale;
                theta[p][i] -= lr * c.weightDecay() * theta[p][i];
                m[p][i] = c.beta1() * m[p][i] + (1 - c.beta1()) * gi;
                v[p][i] = c.beta2() * v[p][i] + (1 - c.beta2()) * gi * gi;
                double alpha = lr * Math.sqrt(1 - Math.pow(c.beta2(), t)) / (1 - Math.pow(c.beta1(), t));
                theta[p][i] -= alpha * m[p][i] / (Math.sqrt(v[p][i]) + c.epsilon());
            }
        }
    }

    private static Map<String, INDArray> params(double[][] theta) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("a", Nd4j.createFromArray(theta[0].clone()));
        p.put("b", Nd4j.createFromArray(theta[1].clone()).reshape(2, 2));
        return p;
    }

    private static Map<String, INDArray> grads(double[][] g) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("a", Nd4j.createFromArray(g[0].clone()));
        out.put("b", Nd4j.createFromArray(g[1].clone()).reshape(2, 2));
        return out;
    }

    @Test
    void matchesPlainJavaAdamWithClippingAndWeightDecay() {
        OptimizerConfig cfg = new OptimizerConfig(0.01, 0.9, 0.99, 1e-8, 0.1, 0.5, 0);
        double[][] theta = {{0.5, -1.0, 2.0}, {0.1, 0.2, 0.3, 0.4}};
        Map<String, INDArray> p = params(theta);
        AdamOptimizer opt = new AdamOptimizer(cfg, p);
        double[][] m = {new double[3], new double[4]};
        double[][] v = {new double[3], new double[4]};
        double[][][] gs = {
            {{0.3, -0.2, 0.1}, {1.0, -1.0, 0.5, 0.0}},          // norm 1.58 > 0.5: clipped
            {{0.01, 0.02, -0.03}, {0.0, 0.01, 0.0, -0.02}},      // norm 0.045: not clipped
            {{-2.0, 0.0, 0.0}, {0.0, 0.0, 0.0, 3.0}},
        };
        for (int t = 0; t < gs.length; t++) {
            double norm = opt.step(grads(gs[t]));
            double sq = 0;
            for (double[] gi : gs[t]) {
                for (double x : gi) {
                    sq += x * x;
                }
            }
            assertEquals(Math.sqrt(sq), norm, 1e-12, "reported norm is the pre-clip norm");
            referenceStep(theta, gs[t], m, v, t + 1, cfg);
            assertArrayEquals(theta[0], p.get("a").toDoubleVector(), 1e-9);
            assertArrayEquals(theta[1], p.get("b").reshape(4).toDoubleVector(), 1e-9);
        }
        assertEquals(3, opt.iteration());
    }

    @Test
    void linearDecayFallsToZeroOverItsStepsAndStaysThere() {
        OptimizerConfig cfg = new OptimizerConfig(0.01, 0.9, 0.99, 1e-8, 0.1, 0.0, 3);
        double[][] theta = {{0.5, -1.0, 2.0}, {0.1, 0.2, 0.3, 0.4}};
        Map<String, INDArray> p = params(theta);
        AdamOptimizer opt = new AdamOptimizer(cfg, p);
        double[][] m = {new double[3], new double[4]};
        double[][] v = {new double[3], new double[4]};
        double[][] g = {{0.3, -0.2, 0.1}, {1.0, -1.0, 0.5, 0.0}};
        double[] rates = {0.01, 0.01 * 2 / 3, 0.01 / 3, 0.0, 0.0};      // 1 - s/3 for the 0-based step s, then 0
        for (int t = 0; t < rates.length; t++) {
            assertEquals(rates[t], cfg.learningRateAt(t), 1e-15);
            double[] before = p.get("a").toDoubleVector();
            opt.step(grads(g));
            referenceStep(theta, g, m, v, t + 1, cfg, rates[t]);
            assertArrayEquals(theta[0], p.get("a").toDoubleVector(), 1e-9, "step " + t);
            assertArrayEquals(theta[1], p.get("b").reshape(4).toDoubleVector(), 1e-9);
            if (rates[t] == 0) {
                assertArrayEquals(before, p.get("a").toDoubleVector(), 0.0, "no change once the rate reached 0");
            }
        }
        assertEquals(0.01, OptimizerConfig.defaults().withLearningRate(0.01).learningRateAt(1000), 0.0,
                "0 decay steps: constant");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.defaults().withLinearDecay(-1));
        assertTrue(e.getMessage().contains("linearDecaySteps = -1"), e.getMessage());
    }

    @Test
    void nonFiniteGradientChangesNothingAndNamesTheParameter() {
        double[][] theta = {{0.5, -1.0, 2.0}, {0.1, 0.2, 0.3, 0.4}};
        Map<String, INDArray> p = params(theta);
        AdamOptimizer opt = new AdamOptimizer(OptimizerConfig.defaults(), p);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> opt.step(grads(new double[][] {{0.1, 0.1, 0.1}, {0.0, Double.NaN, 0.0, 0.0}})));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        assertArrayEquals(theta[0], p.get("a").toDoubleVector(), 0.0);
        assertEquals(0, opt.iteration());
    }

    @Test
    void exportedStateResumesBitForBit() {
        double[][] theta = {{0.5, -1.0, 2.0}, {0.1, 0.2, 0.3, 0.4}};
        double[][] g1 = {{0.3, -0.2, 0.1}, {1.0, -1.0, 0.5, 0.0}};
        double[][] g2 = {{0.2, 0.2, -0.1}, {0.3, 0.0, 0.5, -0.1}};
        Map<String, INDArray> pa = params(theta);
        AdamOptimizer a = new AdamOptimizer(OptimizerConfig.defaults(), pa);
        a.step(grads(g1));
        Map<String, INDArray> saved = a.exportState();
        Map<String, INDArray> pb = new LinkedHashMap<>();
        pa.forEach((k, x) -> pb.put(k, x.dup()));
        a.step(grads(g2));

        AdamOptimizer b = new AdamOptimizer(OptimizerConfig.defaults(), pb);
        b.importState(saved, 1);
        b.step(grads(g2));
        assertArrayEquals(pa.get("a").toDoubleVector(), pb.get("a").toDoubleVector(), 0.0);
        assertArrayEquals(pa.get("b").reshape(4).toDoubleVector(), pb.get("b").reshape(4).toDoubleVector(), 0.0);

        Map<String, INDArray> wrong = new LinkedHashMap<>(saved);
        wrong.put("a", Nd4j.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.importState(wrong, 1));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void badConfigNamesFieldAndFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.defaults().withLearningRate(-1));
        assertTrue(e.getMessage().contains("learningRate = -1.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.defaults().withMaxGradNorm(Double.NaN));
    }
}
