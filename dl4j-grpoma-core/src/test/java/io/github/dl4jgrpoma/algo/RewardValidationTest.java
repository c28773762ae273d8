package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad rewards are rejected by every estimator with messages that say where and how to fix it. */
class RewardValidationTest {
    private static final AdvantageConfig CFG = AdvantageConfig.defaults();

    private static void assertContains(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message should contain '" + p + "': " + message);
        }
    }

    @Test
    void nonFiniteRewardsNamePromptThoughtAnswerAndValue() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        String[] shown = {"NaN", "Infinity", "-Infinity"};
        for (AdvantageEstimator est : new AdvantageEstimator[] {new GrpoMaEstimator(), new DrGrpoEstimator()}) {
            for (int b = 0; b < bad.length; b++) {
                double[][][] batch = {{{1, 0}, {0, 0}, {1, 1}}, {{1, 0}, {0, 1}, {bad[b], 0}}};
                String msg = assertThrows(IllegalArgumentException.class, () -> est.estimateAll(batch, CFG)).getMessage();
                assertContains(msg, "prompt 1", "thought 2", "answer 0", shown[b], "fix the reward function", est.name());
            }
        }
        double[][][] grpoBatch = {{{1}, {0}}, {{1}, {0}}, {{0}, {Double.NaN}}};
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new GrpoEstimator().estimateAll(grpoBatch, CFG)).getMessage();
        assertContains(msg, "prompt 2", "thought 1", "answer 0", "NaN");
    }

    @Test
    void singlePromptCallSaysThePromptIndexIsUnknownAndTheIndexedVariantReportsIt() {
        double[][] r = {{1, 0}, {0, Double.NaN}};
        AdvantageEstimator est = new GrpoMaEstimator();
        String msg = assertThrows(IllegalArgumentException.class, () -> est.estimate(r, CFG)).getMessage();
        assertContains(msg, "prompt ?", "index unknown", "thought 1", "answer 1", "NaN");
        String indexed = assertThrows(IllegalArgumentException.class, () -> est.estimate(r, CFG, 7)).getMessage();
        assertContains(indexed, "prompt 7", "thought 1", "answer 1");
    }

    @Test
    void raggedNullAndEmptyArraysAreRejected() {
        AdvantageEstimator est = new GrpoMaEstimator();
        String ragged = assertThrows(IllegalArgumentException.class,
                () -> est.estimate(new double[][] {{1, 0}, {1}}, CFG, 0)).getMessage();
        assertContains(ragged, "ragged", "thought 1", "M=2");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimate(new double[][] {{1, 0}, null}, CFG, 0)).getMessage(), "thought 1", "null");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimate(null, CFG, 0)).getMessage(), "null");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimate(new double[0][], CFG, 0)).getMessage(), "K=0");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimate(new double[][] {{}}, CFG, 0)).getMessage(), "M=0");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimate(new double[][] {{1}}, CFG, 0)).getMessage(), "K*M=1*1=1", "at least 2");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimateAll(null, CFG)).getMessage(), "null");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> est.estimate(new double[][] {{1, 0}}, null)).getMessage(), "cfg is null");
    }

    @Test
    void grpoRejectsSeveralAnswersPerThoughtAndPointsToGrpoMa() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new GrpoEstimator().estimate(new double[][] {{1, 0}, {0, 0}}, CFG, 3)).getMessage();
        assertContains(msg, "M=2", "grpo-ma", "prompt 3");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> new GrpoEstimator().estimate(new double[][] {{1}}, CFG)).getMessage(), "at least 2");
    }

    @Test
    void overflowingRewardsAreRejectedInsteadOfGivingNaN() {
        double big = Double.MAX_VALUE;
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new GrpoMaEstimator().estimate(new double[][] {{big}, {big / 2}}, CFG)).getMessage();
        assertContains(msg, "overflow", "rescale the reward function");
    }
}
