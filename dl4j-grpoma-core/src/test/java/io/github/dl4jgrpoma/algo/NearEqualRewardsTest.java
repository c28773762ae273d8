package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9 item 1: rewards that differ only by rounding count as all equal at every level (thought values,
 * answers of the prompt, answers of a thought) for every estimator, with {@code delta = 0} and the default
 * delta, so their advantages are exactly 0; real differences (also tiny ones relative to a large scale, or
 * tiny values at a tiny scale) still count.
 */
class NearEqualRewardsTest {
    private static final double ROUNDED = 0.1 + 0.2;   // 0.30000000000000004, one rounding step above 0.3

    static List<Arguments> estimatorsAndConfigs() {
        List<Arguments> out = new ArrayList<>();
        for (AdvantageEstimator e : List.of(new GrpoMaEstimator(), new GrpoEstimator(), new DrGrpoEstimator())) {
            for (double delta : new double[] {0.0, AdvantageConfig.DEFAULT_DELTA}) {
                for (AnswerNormalization n : AnswerNormalization.values()) {
                    for (StdConvention c : StdConvention.values()) {
                        out.add(Arguments.of(e, new AdvantageConfig(delta, c, n, RewardScaling.GROUP)));
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("estimatorsAndConfigs")
    void answersThatDifferOnlyByRoundingGetZeroAdvantages(AdvantageEstimator e, AdvantageConfig cfg) {
        boolean grpo = e instanceof GrpoEstimator;
        double[][] rewards = grpo ? new double[][] {{ROUNDED}, {0.3}, {0.3}, {0.3}}
                : new double[][] {{ROUNDED, 0.3}, {0.3, 0.3}, {0.3, ROUNDED}};
        Advantages a = e.estimate(rewards, cfg, 0);
        for (int i = 0; i < a.k(); i++) {
            assertEquals(0.0, a.thoughtAdvantage(i), 0.0, "A_th " + i + " " + a);
            for (int j = 0; j < a.m(); j++) {
                assertEquals(0.0, a.answerAdvantage(i, j), 0.0, "A_ans " + i + "," + j + " " + a);
            }
        }
        assertTrue(a.thoughtGroupZeroStd(), a.toString());
        assertEquals(a.answerGroups(), a.zeroStdAnswerGroups(), a.toString());
        assertEquals(0.0, a.thoughtValueStd(), 0.0);
        assertEquals(0.0, a.answerRewardStd(), 0.0);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("estimatorsAndConfigs")
    void thoughtValuesThatDifferOnlyByRoundingGetZeroThoughtAdvantages(AdvantageEstimator e, AdvantageConfig cfg) {
        if (e instanceof GrpoEstimator) {
            return;   // M = 1: thought values are the rewards, covered above
        }
        // the sums round differently ((0.1+0.2)+0.3 = 0.6000000000000001, (0.3+0.2)+0.1 = 0.6): equal values
        double[][] rewards = {{0.1, 0.2, 0.3}, {0.3, 0.2, 0.1}, {0.2, 0.1, 0.3}};
        assertNotEquals(rewards[0][0] + rewards[0][1] + rewards[0][2], rewards[1][0] + rewards[1][1] + rewards[1][2],
                "the data must contain a rounding difference");
        Advantages a = e.estimate(rewards, cfg, 0);
        for (int i = 0; i < a.k(); i++) {
            assertEquals(0.0, a.thoughtAdvantage(i), 0.0, "A_th " + i + " " + a);
        }
        assertTrue(a.thoughtGroupZeroStd(), a.toString());
        assertEquals(0.0, a.thoughtValueStd(), 0.0);
        assertEquals(0, a.zeroStdAnswerGroups(), "the answers really differ: " + a);
        assertTrue(Math.abs(a.answerAdvantage(0, 0)) > 0.1, a.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("estimatorsAndConfigs")
    void realDifferencesStillCountAtAnyScale(AdvantageEstimator e, AdvantageConfig cfg) {
        boolean grpo = e instanceof GrpoEstimator;
        for (double[] pair : new double[][] {{1.0, 1.0 + 1e-6}, {1e-12, 2e-12}, {1e9, 1e9 + 10}}) {
            double[][] rewards = grpo ? new double[][] {{pair[0]}, {pair[1]}} : new double[][] {{pair[0], pair[0]},
                {pair[1], pair[1]}};
            Advantages a = e.estimate(rewards, cfg, 0);
            assertFalse(a.thoughtGroupZeroStd(), a.toString());
            assertTrue(a.thoughtAdvantage(1) > 0 && a.thoughtAdvantage(0) < 0, a.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void toleranceIsRelativeToTheScale() {
        assertTrue(GroupStats.allEqual(new double[] {ROUNDED, 0.3, 0.3}));
        assertTrue(GroupStats.allEqual(new double[] {1e12, 1e12 + 1e-4}));
        assertFalse(GroupStats.allEqual(new double[] {1e-12, 1.1e-12}));
        assertFalse(GroupStats.allEqual(new double[] {1.0, 1.0 + 1e-8}));
        assertTrue(GroupStats.allEqual(new double[] {0.0, 0.0}));
        // thought values at the rewards' scale: 1e-7 apart is rounding next to rewards of 1e3
        assertTrue(GroupStats.allEqual(new double[] {0.5, 0.5 + 1e-7}, 1e3));
        assertFalse(GroupStats.allEqual(new double[] {0.5, 0.5 + 1e-7}));
        double[] a = GroupStats.normalize(new double[] {ROUNDED, 0.3, 0.3, 0.3}, StdConvention.SAMPLE, 0.0);
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0), List.of(a[0], a[1], a[2], a[3]));
    }
}
