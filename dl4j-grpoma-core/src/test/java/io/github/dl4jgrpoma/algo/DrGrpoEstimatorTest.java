package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** dr-grpo from hand-computed numbers: centred values, no std scaling, delta unused. */
class DrGrpoEstimatorTest {
    private static final double TOL = 1e-12;
    private static final AdvantageEstimator EST = new DrGrpoEstimator();

    @Test
    void workedExampleIsCentredOnly() {
        // V = [0.5, 0] -> A_th = [0.25, -0.25]; answers [1,0,0,0] mean 0.25 -> [[0.75,-0.25],[-0.25,-0.25]].
        for (double delta : new double[] {0, 1e-4, 0.7}) {
            Advantages a = EST.estimate(new double[][] {{1, 0}, {0, 0}}, AdvantageConfig.defaults().withDelta(delta));
            assertArrayEquals(new double[] {0.25, -0.25}, a.thoughtAdvantages(), TOL);
            assertArrayEquals(new double[] {0.75, -0.25}, a.answerAdvantages()[0], TOL);
            assertArrayEquals(new double[] {-0.25, -0.25}, a.answerAdvantages()[1], TOL);
        }
    }

    @Test
    void fractionalRewardsByHand() {
        // rewards [[0.2,0.6],[1.0,0.4],[0,0]]: V = [0.4, 0.7, 0], mean V = 11/30; flat mean = 2.2/6 = 11/30.
        double[][] r = {{0.2, 0.6}, {1.0, 0.4}, {0, 0}};
        Advantages a = EST.estimate(r, AdvantageConfig.defaults());
        double mean = 11.0 / 30;
        assertArrayEquals(new double[] {0.4 - mean, 0.7 - mean, -mean}, a.thoughtAdvantages(), TOL);
        assertArrayEquals(new double[] {0.2 - mean, 0.6 - mean}, a.answerAdvantages()[0], TOL);
        assertArrayEquals(new double[] {1.0 - mean, 0.4 - mean}, a.answerAdvantages()[1], TOL);
        assertArrayEquals(new double[] {-mean, -mean}, a.answerAdvantages()[2], TOL);
        // THOUGHT: R_ij - V_i -> [[-0.2, 0.2], [0.3, -0.3], [0, 0]], one zero-std group.
        Advantages t = EST.estimate(r, AdvantageConfig.defaults().withAnswerNormalization(AnswerNormalization.THOUGHT));
        assertArrayEquals(new double[] {-0.2, 0.2}, t.answerAdvantages()[0], TOL);
        assertArrayEquals(new double[] {0.3, -0.3}, t.answerAdvantages()[1], TOL);
        assertArrayEquals(new double[] {0, 0}, t.answerAdvantages()[2], 0.0);
        assertEquals(1, t.zeroStdAnswerGroups());
        assertEquals(3, t.answerGroups());
    }

    @Test
    void withOneAnswerItIsRewardMinusMean() {
        double[][] r = {{3}, {-1}, {0.5}, {0.5}};
        double mean = 3.0 / 4;
        Advantages a = EST.estimate(r, AdvantageConfig.defaults());
        double[] expected = {3 - mean, -1 - mean, 0.5 - mean, 0.5 - mean};
        assertArrayEquals(expected, a.thoughtAdvantages(), TOL);
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], a.answerAdvantage(i, 0), TOL);
        }
    }

    @Test
    void equalGroupsGiveExactZero() {
        Advantages a = EST.estimate(new double[][] {{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}}, AdvantageConfig.defaults().withDelta(0));
        assertArrayEquals(new double[] {0, 0}, a.thoughtAdvantages(), 0.0);
        assertArrayEquals(new double[] {0, 0, 0}, a.answerAdvantages()[1], 0.0);
        assertTrue(a.thoughtGroupZeroStd());
    }
}
