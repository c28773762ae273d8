package io.github.dl4jgrpoma.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.AdvantageEstimators;

/**
 * The simulator shows GRPO-MA.md section 4 on a fast, fixed-seed config, and matches an exact
 * (enumerated) reference for K = 2.
 */
class EstimatorSimulatorTest {
    private static final List<Integer> KS = List.of(2, 4, 8, 16, 64);
    private static final List<Integer> MS = List.of(1, 2, 4, 8, 16);
    /** 60 x 60 draws per cell: about half a second for all 25 cells. */
    private static final EstimatorSimulatorConfig FAST = EstimatorSimulatorConfig.builder()
            .scenarios(60).repetitions(60).seed(11).build();
    private static final SimulationResult RESULT = EstimatorSimulator.run(FAST);

    @Test
    void varianceFallsStrictlyWithMForEveryKFromFour() {
        for (int k : KS) {
            if (k < 4) {
                continue;
            }
            for (int idx = 1; idx < MS.size(); idx++) {
                double before = RESULT.cell(k, MS.get(idx - 1)).simulatedVariance();
                double after = RESULT.cell(k, MS.get(idx)).simulatedVariance();
                assertTrue(after < before, "K=" + k + ": Var at M=" + MS.get(idx) + " (" + after
                        + ") should be below M=" + MS.get(idx - 1) + " (" + before + ")\n" + RESULT.toTextTable());
            }
            // About 1/M: from M=1 to M=16 the variance drops by more than 3x (prediction: 0.667 -> 0.111).
            assertTrue(RESULT.cell(k, 16).simulatedVariance() < RESULT.cell(k, 1).simulatedVariance() / 3,
                    RESULT.toTextTable());
        }
    }

    @Test
    void raisingKLeavesAFloorWhileRaisingMDoesNot() {
        double k16 = RESULT.cell(16, 1).simulatedVariance();
        double k64 = RESULT.cell(64, 1).simulatedVariance();
        assertTrue(k64 > 0.5 * k16, "K 16 -> 64 at M=1 must not halve the variance: " + k16 + " -> " + k64);
        // The floor is near the prediction 4 E[mu(1-mu)] = 2/3, not near 0.
        assertTrue(k64 > 0.5, "K=64, M=1: " + k64);
        // Four times the answers per thought does what four times the thoughts cannot.
        assertTrue(RESULT.cell(16, 4).simulatedVariance() < 0.6 * k64, RESULT.toTextTable());
    }

    @Test
    void largeKIsWithinThirtyPercentOfTheLeadingOrderPrediction() {
        for (int k : List.of(16, 64)) {
            for (int m : MS) {
                SimulationCell c = RESULT.cell(k, m);
                assertTrue(Math.abs(c.ratio() - 1) < 0.3, "K=" + k + " M=" + m + " ratio " + c.ratio());
                // The prediction averages sigma^2 = mu(1-mu) (mean 1/6) over the drawn mus: near 2/(M+2).
                assertEquals(2.0 / (m + 2), c.predictedVariance(), 0.15 * 2.0 / (m + 2));
            }
        }
    }

    /**
     * K = 2 has an exact answer: A_th_1 = (V_1 - V_2)/2 / (|V_1 - V_2|/sqrt2 + delta), 0 on ties, with
     * V_i = Binomial(M, mu_i)/M. Enumerating both binomials and integrating over mu_1, mu_2 on a midpoint grid
     * gives E_mu[Var(A_th_1 | mu)]. It is NOT monotone in M: at M = 1 most ties (both rewards equal) give 0,
     * and ties get rarer from M = 1 to M = 2 faster than the sign of V_1 - V_2 settles, so the variance first
     * rises (1/6 -> 0.183) and only then falls. The simulator must reproduce that.
     */
    @Test
    void twoThoughtsMatchTheExactEnumeratedVarianceIncludingItsRiseFromMOneToTwo() {
        EstimatorSimulatorConfig k2 = FAST.toBuilder().kValues(2).scenarios(4000).repetitions(50).seed(5).build();
        SimulationResult r = EstimatorSimulator.run(k2);
        double[] exact = new double[MS.size()];
        for (int idx = 0; idx < MS.size(); idx++) {
            int m = MS.get(idx);
            exact[idx] = exactTwoThoughtVariance(m, 1e-4, 60);
            double sim = r.cell(2, m).simulatedVariance();
            assertEquals(exact[idx], sim, 0.006, "K=2 M=" + m + "\n" + r.toTextTable());
        }
        assertEquals(1.0 / 6, exact[0], 1e-3, "M=1: (1/2) (E[p+ + p-] - E[(mu1-mu2)^2]) = (1/2)(1/2 - 1/6)");
        assertTrue(exact[1] > exact[0] + 0.01, "exact: rise from M=1 to M=2");
        assertTrue(r.cell(2, 2).simulatedVariance() > r.cell(2, 1).simulatedVariance(), r.toTextTable());
        for (int idx = 2; idx < MS.size(); idx++) {
            assertTrue(exact[idx] < exact[idx - 1], "exact: falls from M=2 on");
            assertTrue(r.cell(2, MS.get(idx)).simulatedVariance() < r.cell(2, MS.get(idx - 1)).simulatedVariance(),
                    r.toTextTable());
        }
    }

    private static double exactTwoThoughtVariance(int m, double delta, int grid) {
        double total = 0;
        for (int a = 0; a < grid; a++) {
            double[] p1 = binomial(m, (a + 0.5) / grid);
            for (int b = 0; b < grid; b++) {
                double[] p2 = binomial(m, (b + 0.5) / grid);
                double mean = 0;
                double second = 0;
                for (int x = 0; x <= m; x++) {
                    for (int y = 0; y <= m; y++) {
                        if (x == y) {
                            continue;
                        }
                        double diff = (x - y) / (double) m;
                        double adv = (diff / 2) / (Math.abs(diff) / Math.sqrt(2) + delta);
                        double p = p1[x] * p2[y];
                        mean += p * adv;
                        second += p * adv * adv;
                    }
                }
                total += second - mean * mean;
            }
        }
        return total / ((double) grid * grid);
    }

    private static double[] binomial(int n, double p) {
        double[] out = new double[n + 1];
        for (int x = 0; x <= n; x++) {
            double c = 1;
            for (int i = 0; i < x; i++) {
                c = c * (n - i) / (i + 1);
            }
            out[x] = c * Math.pow(p, x) * Math.pow(1 - p, n - x);
        }
        return out;
    }

    @Test
    void sameSeedGivesIdenticalTablesAndCellsDoNotDependOnTheOtherCells() {
        EstimatorSimulatorConfig small = FAST.toBuilder().kValues(4, 8).mValues(1, 4).scenarios(20).repetitions(20).build();
        SimulationResult a = EstimatorSimulator.run(small);
        SimulationResult b = EstimatorSimulator.run(small);
        assertEquals(a, b);
        assertEquals(a.toTextTable(), b.toTextTable());
        assertEquals(a.toMarkdown(), b.toMarkdown());
        SimulationResult subset = EstimatorSimulator.run(small.toBuilder().kValues(8).mValues(4).build());
        assertEquals(a.cell(8, 4), subset.cell(8, 4));
        SimulationResult other = EstimatorSimulator.run(small.toBuilder().seed(12).build());
        assertNotEquals(a.cell(8, 4), other.cell(8, 4));
    }

    @Test
    void rendersFixedWidthTextAndMarkdown() {
        String text = RESULT.toTextTable();
        String[] lines = text.split("\n");
        assertEquals(1 + KS.size() * MS.size(), lines.length);
        for (String line : lines) {
            assertEquals(lines[0].length(), line.length(), "fixed width: '" + line + "'");
        }
        assertTrue(lines[0].contains("simulated Var(A_th)") && lines[0].contains("predicted"), lines[0]);
        SimulationCell first = RESULT.cells().get(0);
        assertEquals(String.format(java.util.Locale.ROOT, "%5d %5d %20.5f %12.5f %10.3f", 2, 1,
                first.simulatedVariance(), first.predictedVariance(), first.ratio()), lines[1]);
        String[] md = RESULT.toMarkdown().split("\n");
        assertEquals(2 + KS.size() * MS.size(), md.length);
        assertEquals("| K | M | simulated Var(A_th) | predicted | sim/pred |", md[0]);
        assertEquals("|---:|---:|---:|---:|---:|", md[1]);
        assertTrue(md[md.length - 1].startsWith("| 64 | 16 | "), md[md.length - 1]);
        assertEquals(KS.size() * MS.size(), RESULT.cells().size());
        assertThrows(IllegalArgumentException.class, () -> RESULT.cell(3, 1));
    }

    @Test
    void configValidationNamesFieldValueAndFix() {
        assertMessage(() -> FAST.toBuilder().kValues(1, 4).build(), "kValues", "1", ">= 2");
        assertMessage(() -> FAST.toBuilder().kValues().build(), "kValues", "at least one");
        assertMessage(() -> FAST.toBuilder().kValues(4, 4).build(), "kValues", "twice");
        assertMessage(() -> FAST.toBuilder().mValues(0).build(), "mValues", "0", ">= 1");
        assertMessage(() -> FAST.toBuilder().mValues((Integer[]) null).build(), "mValues", "null");
        assertMessage(() -> FAST.toBuilder().scenarios(0).build(), "scenarios", "0", "1000");
        assertMessage(() -> FAST.toBuilder().repetitions(1).build(), "repetitions", "1", "100");
        assertMessage(() -> FAST.toBuilder().estimatorName(" ").build(), "estimatorName", "grpo-ma");
        assertMessage(() -> FAST.toBuilder().advantageConfig(null).build(), "advantageConfig", "defaults()");
        assertMessage(() -> EstimatorSimulator.run(FAST.toBuilder().estimatorName("ppo").build()), "'ppo'",
                "[dr-grpo, grpo, grpo-ma]");
        assertMessage(() -> EstimatorSimulator.run(null), "config");
        // grpo takes one answer per thought only; its own error surfaces.
        assertMessage(() -> EstimatorSimulator.run(FAST.toBuilder().estimatorName("grpo").mValues(2).build(),
                AdvantageEstimators.defaults()), "grpo-ma");
    }

    @Test
    void defaultsAreTheDocumentedValues() {
        EstimatorSimulatorConfig d = EstimatorSimulatorConfig.defaults();
        assertEquals(List.of(2, 4, 8, 16, 64), d.kValues());
        assertEquals(List.of(1, 2, 4, 8, 16), d.mValues());
        assertEquals(1000, d.scenarios());
        assertEquals(100, d.repetitions());
        assertEquals("grpo-ma", d.estimatorName());
        assertEquals(AdvantageConfig.defaults(), d.advantageConfig());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        String msg = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String p : parts) {
            assertTrue(msg.contains(p), "message should contain '" + p + "': " + msg);
        }
    }
}
