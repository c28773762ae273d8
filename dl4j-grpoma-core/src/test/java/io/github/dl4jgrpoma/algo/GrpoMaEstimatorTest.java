package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** grpo-ma from hand-computed numbers (GRPO-MA.md worked example and small examples worked on paper). */
class GrpoMaEstimatorTest {
    private static final double TOL = 1e-12;
    private static final double SQRT2 = Math.sqrt(2);
    private static final double SQRT3 = Math.sqrt(3);
    private static final AdvantageEstimator EST = new GrpoMaEstimator();
    private static final double[][] WORKED = {{1, 0}, {0, 0}};

    private static AdvantageConfig cfg(StdConvention c, double delta) {
        return AdvantageConfig.builder().stdConvention(c).delta(delta).build();
    }

    private static void assertMatrix(double[][] expected, double[][] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], tol, "row " + i);
        }
    }

    @Test
    void workedExamplePopulationStd() {
        // V = [0.5, 0], mean 0.25, population std 0.25 -> A_th = [+1, -1].
        // answers [1,0,0,0]: mean 0.25, population std sqrt(0.1875) = sqrt(3)/4 -> 0.75/(sqrt3/4) = sqrt3, -0.25/(sqrt3/4) = -1/sqrt3.
        Advantages a = EST.estimate(WORKED, cfg(StdConvention.POPULATION, 0));
        assertArrayEquals(new double[] {0.5, 0}, a.thoughtValues(), TOL);
        assertArrayEquals(new double[] {1, -1}, a.thoughtAdvantages(), TOL);
        assertMatrix(new double[][] {{SQRT3, -1 / SQRT3}, {-1 / SQRT3, -1 / SQRT3}}, a.answerAdvantages(), TOL);
        assertEquals(0.25, a.thoughtValueStd(), TOL);
        assertEquals(SQRT3 / 4, a.answerRewardStd(), TOL);
        assertFalse(a.thoughtGroupZeroStd());
        assertEquals(0, a.zeroStdAnswerGroups());
        assertEquals(1, a.answerGroups());
        assertEquals(2, a.k());
        assertEquals(2, a.m());
    }

    @Test
    void workedExampleSampleStd() {
        // sample std of V: sqrt(2 * 0.0625 / 1) = sqrt(2)/4 -> A_th = 0.25 / (sqrt2/4) = 1/sqrt2.
        // answers: sample std sqrt(0.75/3) = 0.5 -> [[1.5, -0.5], [-0.5, -0.5]].
        Advantages a = EST.estimate(WORKED, cfg(StdConvention.SAMPLE, 0));
        assertArrayEquals(new double[] {1 / SQRT2, -1 / SQRT2}, a.thoughtAdvantages(), TOL);
        assertMatrix(new double[][] {{1.5, -0.5}, {-0.5, -0.5}}, a.answerAdvantages(), TOL);
        assertEquals(SQRT2 / 4, a.thoughtValueStd(), TOL);
        assertEquals(0.5, a.answerRewardStd(), TOL);
    }

    @Test
    void defaultConfigIsSampleStdWithDeltaOneEMinusFour() {
        // Same example with delta 1e-4: A_th = 0.25 / (sqrt2/4 + 1e-4), A_ans(0,0) = 0.75 / (0.5 + 1e-4).
        Advantages a = EST.estimate(WORKED, AdvantageConfig.defaults());
        assertEquals(0.25 / (SQRT2 / 4 + 1e-4), a.thoughtAdvantage(0), TOL);
        assertEquals(0.75 / (0.5 + 1e-4), a.answerAdvantage(0, 0), TOL);
        assertEquals(-0.25 / (0.5 + 1e-4), a.answerAdvantage(1, 1), TOL);
    }

    @Test
    void allOnesGiveZeroEverywhere() {
        for (StdConvention c : StdConvention.values()) {
            Advantages a = EST.estimate(new double[][] {{1, 1}, {1, 1}}, cfg(c, 0));
            assertArrayEquals(new double[] {0, 0}, a.thoughtAdvantages(), 0.0);
            assertMatrix(new double[][] {{0, 0}, {0, 0}}, a.answerAdvantages(), 0.0);
            assertTrue(a.thoughtGroupZeroStd());
            assertEquals(1, a.zeroStdAnswerGroups());
            assertEquals(0.0, a.thoughtValueStd(), 0.0);
            assertEquals(0.0, a.answerRewardStd(), 0.0);
        }
    }

    @Test
    void equalValuesWhoseMeanRoundsStillGiveExactZeroWithDeltaZero() {
        // 0.1 + 0.1 + 0.1 = 0.30000000000000004, so the computed mean differs from 0.1 by rounding; the
        // advantage must still be exactly 0, not rounding/rounding = O(1) or NaN.
        double[][] r = {{0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}, {0.1, 0.1, 0.1}};
        for (StdConvention c : StdConvention.values()) {
            for (AnswerNormalization n : AnswerNormalization.values()) {
                Advantages a = EST.estimate(r, cfg(c, 0).withAnswerNormalization(n));
                for (int i = 0; i < 3; i++) {
                    assertEquals(0.0, a.thoughtAdvantage(i), 0.0);
                    for (int j = 0; j < 3; j++) {
                        assertEquals(0.0, a.answerAdvantage(i, j), 0.0);
                    }
                }
                assertTrue(a.thoughtGroupZeroStd());
                assertEquals(n == AnswerNormalization.PROMPT ? 1 : 3, a.zeroStdAnswerGroups());
                assertEquals(a.zeroStdAnswerGroups(), a.answerGroups());
            }
        }
    }

    @Test
    void equalThoughtValuesWithDifferentAnswersZeroOnlyTheThoughtLevel() {
        // [[1,0],[0,1]]: V = [0.5, 0.5] -> A_th = 0; answers [1,0,0,1] mean 0.5, population std 0.5 -> +-1.
        Advantages a = EST.estimate(new double[][] {{1, 0}, {0, 1}}, cfg(StdConvention.POPULATION, 0));
        assertArrayEquals(new double[] {0, 0}, a.thoughtAdvantages(), 0.0);
        assertTrue(a.thoughtGroupZeroStd());
        assertEquals(0, a.zeroStdAnswerGroups());
        assertMatrix(new double[][] {{1, -1}, {-1, 1}}, a.answerAdvantages(), TOL);
    }

    @Test
    void thoughtNormalisationByHand() {
        // rewards [[1,0,0],[1,1,0],[1,1,1]], V = [1/3, 2/3, 1].
        // population std of V: sqrt((1/9 + 0 + 1/9)/3) = sqrt(2/27) -> A_th = -+(1/3)/sqrt(2/27) = -+sqrt(3/2).
        // row [1,0,0]: mean 1/3, population std sqrt(2)/3 -> [sqrt2, -1/sqrt2, -1/sqrt2]
        // row [1,1,0]: mean 2/3 -> [1/sqrt2, 1/sqrt2, -sqrt2]; row [1,1,1]: all equal -> 0.
        double[][] r = {{1, 0, 0}, {1, 1, 0}, {1, 1, 1}};
        AdvantageConfig c = cfg(StdConvention.POPULATION, 0).withAnswerNormalization(AnswerNormalization.THOUGHT);
        Advantages a = EST.estimate(r, c);
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3, 1}, a.thoughtValues(), TOL);
        assertArrayEquals(new double[] {-Math.sqrt(1.5), 0, Math.sqrt(1.5)}, a.thoughtAdvantages(), TOL);
        assertMatrix(new double[][] {{SQRT2, -1 / SQRT2, -1 / SQRT2}, {1 / SQRT2, 1 / SQRT2, -SQRT2}, {0, 0, 0}},
                a.answerAdvantages(), TOL);
        assertEquals(3, a.answerGroups());
        assertEquals(1, a.zeroStdAnswerGroups());
        // answerRewardStd is over all 9 rewards (6 ones, 3 zeros): mean 2/3, population variance 2/9.
        assertEquals(SQRT2 / 3, a.answerRewardStd(), TOL);

        // Sample std: V's sample std is sqrt((2/9)/2) = 1/3 -> A_th = [-1, 0, 1];
        // row [1,0,0]: sample std sqrt((6/9)/2) = 1/sqrt3 -> [2/sqrt3, -1/sqrt3, -1/sqrt3].
        Advantages s = EST.estimate(r, c.withStdConvention(StdConvention.SAMPLE));
        assertArrayEquals(new double[] {-1, 0, 1}, s.thoughtAdvantages(), TOL);
        assertArrayEquals(new double[] {2 / SQRT3, -1 / SQRT3, -1 / SQRT3}, s.answerAdvantages()[0], TOL);
        assertArrayEquals(new double[] {1 / SQRT3, 1 / SQRT3, -2 / SQRT3}, s.answerAdvantages()[1], TOL);
    }

    @Test
    void thoughtNormalisationWithOneAnswerZeroesAnswers() {
        Advantages a = EST.estimate(new double[][] {{1}, {0}, {0.5}},
                AdvantageConfig.defaults().withAnswerNormalization(AnswerNormalization.THOUGHT));
        assertMatrix(new double[][] {{0}, {0}, {0}}, a.answerAdvantages(), 0.0);
        assertEquals(3, a.zeroStdAnswerGroups());
        assertEquals(3, a.answerGroups());
    }

    @Test
    void deltaShrinksAdvantagesAsComputedByHand() {
        // K=2, M=1, rewards [1, 0]: population std 0.5, delta 0.5 -> +-0.5/(0.5+0.5) = +-0.5.
        double[][] r = {{1}, {0}};
        Advantages p = EST.estimate(r, cfg(StdConvention.POPULATION, 0.5));
        assertArrayEquals(new double[] {0.5, -0.5}, p.thoughtAdvantages(), TOL);
        // sample std 1/sqrt2, delta 0.5 -> 0.5/(1/sqrt2 + 1/2) = 1/(sqrt2 + 1) = sqrt2 - 1.
        Advantages s = EST.estimate(r, cfg(StdConvention.SAMPLE, 0.5));
        assertArrayEquals(new double[] {SQRT2 - 1, 1 - SQRT2}, s.thoughtAdvantages(), TOL);
        // Worked example, population, delta 0.25: A_th = 0.25/(0.25+0.25) = 0.5; A_ans(0,0) = 0.75/(sqrt3/4 + 0.25).
        Advantages w = EST.estimate(WORKED, cfg(StdConvention.POPULATION, 0.25));
        assertArrayEquals(new double[] {0.5, -0.5}, w.thoughtAdvantages(), TOL);
        assertEquals(0.75 / (SQRT3 / 4 + 0.25), w.answerAdvantage(0, 0), TOL);
    }

    @Test
    void singleThoughtWithSeveralAnswersHasZeroThoughtAdvantage() {
        Advantages a = EST.estimate(new double[][] {{1, 0}}, cfg(StdConvention.SAMPLE, 0));
        assertArrayEquals(new double[] {0}, a.thoughtAdvantages(), 0.0);
        assertTrue(a.thoughtGroupZeroStd());
        // [1, 0]: sample std 1/sqrt2 -> +-0.5*sqrt2.
        assertArrayEquals(new double[] {SQRT2 / 2, -SQRT2 / 2}, a.answerAdvantages()[0], TOL);
    }

    @Test
    void batchMethodNormalisesEachPromptOnItsOwn() {
        double[][][] batch = {WORKED, {{1, 1}, {1, 1}}, {{1}, {0}, {0}, {1}}};
        var all = EST.estimateAll(batch, cfg(StdConvention.SAMPLE, 0));
        assertEquals(3, all.size());
        assertEquals(EST.estimate(WORKED, cfg(StdConvention.SAMPLE, 0)), all.get(0));
        assertArrayEquals(new double[] {0, 0}, all.get(1).thoughtAdvantages(), 0.0);
        // [1,0,0,1]: mean 0.5, sample std sqrt(1/3) -> +-0.5*sqrt3.
        assertArrayEquals(new double[] {SQRT3 / 2, -SQRT3 / 2, -SQRT3 / 2, SQRT3 / 2}, all.get(2).thoughtAdvantages(), TOL);
        assertTrue(EST.estimateAll(new double[0][][], AdvantageConfig.defaults()).isEmpty());
    }
}
