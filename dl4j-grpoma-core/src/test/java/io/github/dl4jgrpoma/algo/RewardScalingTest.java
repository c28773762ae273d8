package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * TRL's {@code scale_rewards} (group / batch / none) at both GRPO-MA levels, on hand-computed numbers. Batch of two
 * prompts with K = 2, M = 2, delta 0, population std:
 * <pre>
 *   prompt 0: rewards [[1, 0], [0, 0]]  thought values [0.5, 0]   answers mean 0.25
 *   prompt 1: rewards [[1, 1], [1, 0]]  thought values [1, 0.5]   answers mean 0.75
 *   all thought values [0.5, 0, 1, 0.5]: mean 0.5, std sqrt(0.125) = 0.35355
 *   all answers [1, 0, 0, 0, 1, 1, 1, 0]: mean 0.5, std 0.5
 * </pre>
 */
class RewardScalingTest {
    private static final double[][][] BATCH = {{{1, 0}, {0, 0}}, {{1, 1}, {1, 0}}};
    private static final double EPS = 1e-12;

    private static AdvantageConfig cfg(RewardScaling s) {
        return AdvantageConfig.builder().delta(0).stdConvention(StdConvention.POPULATION).scaleRewards(s).build();
    }

    @Test
    void groupDividesByEachGroupsOwnStd() {
        List<Advantages> a = new GrpoMaEstimator().estimateAll(BATCH, cfg(RewardScaling.GROUP));
        assertArrayEquals(new double[] {1, -1}, a.get(0).thoughtAdvantages(), EPS);
        double s3 = Math.sqrt(3);
        assertArrayEquals(new double[] {s3, -1 / s3}, a.get(0).answerAdvantages()[0], EPS);
        assertArrayEquals(new double[] {-1 / s3, -1 / s3}, a.get(0).answerAdvantages()[1], EPS);
        assertArrayEquals(new double[] {1, -1}, a.get(1).thoughtAdvantages(), EPS);
        assertArrayEquals(new double[] {1 / s3, -s3}, a.get(1).answerAdvantages()[1], EPS);
    }

    @Test
    void batchCentresPerGroupAndDividesByTheBatchStdAtBothLevels() {
        List<Advantages> a = new GrpoMaEstimator().estimateAll(BATCH, cfg(RewardScaling.BATCH));
        double thoughtStd = Math.sqrt(0.125);
        // thought: (0.5 - 0.25) / 0.35355 = 0.70711 in both prompts
        assertArrayEquals(new double[] {0.25 / thoughtStd, -0.25 / thoughtStd}, a.get(0).thoughtAdvantages(), EPS);
        assertEquals(0.70711, a.get(1).thoughtAdvantage(0), 1e-5);
        // answers: (R - prompt mean) / 0.5
        assertArrayEquals(new double[] {1.5, -0.5}, a.get(0).answerAdvantages()[0], EPS);
        assertArrayEquals(new double[] {-0.5, -0.5}, a.get(0).answerAdvantages()[1], EPS);
        assertArrayEquals(new double[] {0.5, 0.5}, a.get(1).answerAdvantages()[0], EPS);
        assertArrayEquals(new double[] {0.5, -1.5}, a.get(1).answerAdvantages()[1], EPS);
        // group statistics are still per prompt
        assertEquals(0.25, a.get(0).thoughtValueStd(), EPS);
    }

    @Test
    void noneOnlyCentresAndDrGrpoIgnoresTheOption() {
        List<Advantages> a = new GrpoMaEstimator().estimateAll(BATCH, cfg(RewardScaling.NONE));
        assertArrayEquals(new double[] {0.25, -0.25}, a.get(0).thoughtAdvantages(), EPS);
        assertArrayEquals(new double[] {0.75, -0.25}, a.get(0).answerAdvantages()[0], EPS);
        assertArrayEquals(new double[] {0.25, -0.75}, a.get(1).answerAdvantages()[1], EPS);
        for (RewardScaling s : RewardScaling.values()) {
            assertEquals(a, new DrGrpoEstimator().estimateAll(BATCH, cfg(s)), "dr-grpo with " + s);
        }
    }

    @Test
    void plainGrpoScalesTheWholeResponseAdvantageTheSameWays() {
        double[][][] batch = {{{1}, {0}}, {{1}, {1}}};
        // all rewards [1, 0, 1, 1]: mean 0.75, population std sqrt(0.1875) = 0.43301
        GrpoEstimator grpo = new GrpoEstimator();
        assertArrayEquals(new double[] {1, -1}, grpo.estimateAll(batch, cfg(RewardScaling.GROUP)).get(0).thoughtAdvantages(), EPS);
        double b = 0.5 / Math.sqrt(0.1875);
        List<Advantages> batched = grpo.estimateAll(batch, cfg(RewardScaling.BATCH));
        assertArrayEquals(new double[] {b, -b}, batched.get(0).thoughtAdvantages(), EPS);
        assertArrayEquals(new double[] {b}, batched.get(0).answerAdvantages()[0], EPS);
        assertEquals(1.1547, b, 1e-4);
        assertArrayEquals(new double[] {0, 0}, batched.get(1).thoughtAdvantages(), 0.0, "an all-equal prompt stays 0");
        assertArrayEquals(new double[] {0.5, -0.5}, grpo.estimateAll(batch, cfg(RewardScaling.NONE)).get(0).thoughtAdvantages(), EPS);
    }

    @Test
    void oneBatchOfOnePromptScalesLikeGroupAndEstimateAgreesWithEstimateAll() {
        double[][] one = BATCH[0];
        assertEquals(new GrpoMaEstimator().estimate(one, cfg(RewardScaling.GROUP)),
                new GrpoMaEstimator().estimate(one, cfg(RewardScaling.BATCH)));
        assertEquals(new GrpoMaEstimator().estimateAll(new double[][][] {one}, cfg(RewardScaling.BATCH)).get(0),
                new GrpoMaEstimator().estimate(one, cfg(RewardScaling.BATCH)));
    }

    @Test
    void namesParseInAnyCaseAndBadNamesSayWhatToUse() {
        assertEquals(RewardScaling.BATCH, RewardScaling.parse("batch"));
        assertEquals(RewardScaling.NONE, RewardScaling.parse(" None "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RewardScaling.parse("std"));
        assertEquals("unknown reward scaling 'std'; use group (default), batch or none", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdvantageConfig.builder().scaleRewards(null).build());
    }
}
