package io.github.dl4jgrpoma.train;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;

/**
 * The result of a step's rollout + reward phase ({@link RolloutExecutor#run}).
 *
 * @param batch     the rollout trees, in prompt order
 * @param scores    per prompt the reward scores [K][M], in prompt order
 * @param rolloutMs wall time of sampling (the trainer's {@code time/rollout_ms} and the base of {@code tokens_per_s})
 * @param rewardMs  wall time of scoring ({@code time/reward_ms})
 * @param extra     further timings of the executor (e.g. {@code spark/broadcast_ms}), appended to the step's metrics
 */
public record ScoredRollouts(RolloutBatch batch, List<RewardScores> scores, double rolloutMs, double rewardMs,
                             Map<String, Double> extra) {

    public ScoredRollouts {
        if (batch.prompts().size() != scores.size()) {
            throw new IllegalArgumentException("ScoredRollouts: " + batch.prompts().size() + " rollout trees but "
                    + scores.size() + " reward scores; an executor must return one score group per prompt");
        }
        scores = List.copyOf(scores);
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /**
     * Puts shard results back in prompt order.
     *
     * @param prompts number of prompts of the step
     * @param shards  per shard the prompt positions it holds ({@link PromptShards#byId})
     * @param trees   per shard its rollout trees, in the shard's order
     * @param groups  per shard its reward scores, in the shard's order
     * @param rolloutMs wall time of sampling
     * @param rewardMs  wall time of scoring
     * @param extra     further timings
     * @throws IllegalArgumentException if a shard's result has the wrong size or a position is missing
     */
    public static ScoredRollouts merge(int prompts, List<int[]> shards, List<List<PromptRollout>> trees,
                                       List<List<RewardScores>> groups, double rolloutMs, double rewardMs,
                                       Map<String, Double> extra) {
        PromptRollout[] t = new PromptRollout[prompts];
        RewardScores[] g = new RewardScores[prompts];
        for (int s = 0; s < shards.size(); s++) {
            int[] at = shards.get(s);
            if (trees.get(s).size() != at.length || groups.get(s).size() != at.length) {
                throw new IllegalArgumentException("shard " + s + " holds " + at.length + " prompts but returned "
                        + trees.get(s).size() + " trees and " + groups.get(s).size() + " score groups");
            }
            for (int i = 0; i < at.length; i++) {
                t[at[i]] = trees.get(s).get(i);
                g[at[i]] = groups.get(s).get(i);
            }
        }
        if (Arrays.asList(t).contains(null)) {
            throw new IllegalArgumentException("the shards do not cover all " + prompts + " prompts of the step");
        }
        return new ScoredRollouts(new RolloutBatch(Arrays.asList(t)), Arrays.asList(g), rolloutMs, rewardMs, extra);
    }
}
