package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** GRPO-MA.md step 9: with M = 1, grpo-ma's thought and answer advantages are exactly plain GRPO's. */
class GrpoEquivalenceTest {
    /** Fixed literal inputs (not random), K = 2..8, including ties and negative rewards. */
    private static final double[][] INPUTS = {
        {5, 5.5},
        {0.3, -1.2, 2.5},
        {1, 0, 0, 1, 1},
        {0.17, 0.93, 0.42, 0.42, 0.05, 0.77, 0.61, 0.29},
        {-3.25, 7.5, 0.001, 2.0, 2.0, -0.75},
    };
    private static final double[] DELTAS = {0, 1e-4, 0.3};

    private static double[][] column(double[] r) {
        double[][] out = new double[r.length][1];
        for (int i = 0; i < r.length; i++) {
            out[i][0] = r[i];
        }
        return out;
    }

    /** Independent plain reference: (r - mean) / (std + delta), written out here. */
    private static double[] reference(double[] r, StdConvention c, double delta) {
        double mean = 0;
        for (double v : r) {
            mean += v;
        }
        mean /= r.length;
        double ss = 0;
        for (double v : r) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / (c == StdConvention.POPULATION ? r.length : r.length - 1));
        double[] a = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            a[i] = (r[i] - mean) / (std + delta);
        }
        return a;
    }

    @Test
    void grpoMaWithOneAnswerIsExactlyGrpo() {
        AdvantageEstimator grpo = new GrpoEstimator();
        AdvantageEstimator ma = new GrpoMaEstimator();
        int cases = 0;
        for (double[] r : INPUTS) {
            for (StdConvention c : StdConvention.values()) {
                for (double delta : DELTAS) {
                    AdvantageConfig cfg = AdvantageConfig.builder().stdConvention(c).delta(delta).build();
                    Advantages g = grpo.estimate(column(r), cfg);
                    Advantages m = ma.estimate(column(r), cfg);
                    double[] gAdv = g.thoughtAdvantages();
                    assertArrayEquals(gAdv, m.thoughtAdvantages(), 0.0);
                    for (int i = 0; i < r.length; i++) {
                        assertEquals(gAdv[i], m.answerAdvantage(i, 0), 0.0);
                        assertEquals(gAdv[i], g.answerAdvantage(i, 0), 0.0);
                    }
                    assertArrayEquals(reference(r, c, delta), gAdv, 1e-12);
                    assertEquals(g, m, "metrics agree too");
                    cases++;
                }
            }
        }
        assertEquals(INPUTS.length * 2 * DELTAS.length, cases);
    }

    @Test
    void grpoReportsRewardsAsThoughtValuesAndOneAnswerGroup() {
        Advantages g = new GrpoEstimator().estimate(column(new double[] {2, 2, 2}), AdvantageConfig.defaults());
        assertArrayEquals(new double[] {2, 2, 2}, g.thoughtValues(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, g.thoughtAdvantages(), 0.0);
        assertEquals(1, g.answerGroups());
        assertEquals(1, g.zeroStdAnswerGroups());
        assertEquals(true, g.thoughtGroupZeroStd());
    }
}
