package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.AdvantageEstimator;
import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.algo.GroupStats;
import io.github.dl4jgrpoma.reward.RewardScores;
import java.util.List;

/**
 * The advantages of one RL step's prompts and which prompts enter the loss (the "estimate" stage of a step, shared by
 * {@link GrpoMaTrainer} and the DL4J iterator). Pure: no IO, no randomness.
 *
 * @param advantages one entry per prompt, from the estimator
 * @param keep       per prompt: true unless dynamic sampling drops it (all its answers scored the same)
 * @param dropped    number of prompts with {@code keep} false
 */
public record GroupAdvantages(List<Advantages> advantages, boolean[] keep, int dropped) {

    /**
     * Estimates every prompt's advantages from its total rewards ({@link AdvantageEstimator#estimateAll}, so batch
     * reward scaling sees every prompt of the step, dropped ones included) and applies dynamic sampling.
     */
    public static GroupAdvantages estimate(List<RewardScores> scores, AdvantageEstimator estimator, AdvantageConfig config,
                                           DynamicSampling dynamicSampling) {
        double[][][] totals = new double[scores.size()][][];
        for (int p = 0; p < totals.length; p++) {
            totals[p] = scores.get(p).totals();
        }
        List<Advantages> advantages = estimator.estimateAll(totals, config);
        boolean[] keep = new boolean[scores.size()];
        int dropped = 0;
        for (int p = 0; p < scores.size(); p++) {
            keep[p] = dynamicSampling == DynamicSampling.OFF || hasSpread(scores.get(p).totals());
            dropped += keep[p] ? 0 : 1;
        }
        return new GroupAdvantages(advantages, keep, dropped);
    }

    /** True when every prompt was dropped. */
    public boolean allDropped() {
        return dropped == keep.length;
    }

    /** A copy of the keep flags. */
    @Override
    public boolean[] keep() {
        return keep.clone();
    }

    private static boolean hasSpread(double[][] totals) {
        return !GroupStats.allEqual(java.util.Arrays.stream(totals).flatMapToDouble(java.util.Arrays::stream).toArray());
    }
}
