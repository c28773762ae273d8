package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.Prompt;

import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.RolloutBatch;

/**
 * What one {@link GrpoMaTrainer#step()} did.
 *
 * @param step       1-based number of the step (= completed steps after it)
 * @param metrics    the step's metrics in a fixed order (see {@link GrpoMaTrainer} for the names); unmodifiable
 * @param prompts    the prompts of the step, in batch order
 * @param rollouts   the sampled trees, in prompt order
 * @param rewards    per prompt, the K x M reward scores (totals and per reward)
 * @param advantages per prompt, the thought and answer advantages
 * @param kept       per prompt, whether it entered the loss (false: dropped by dynamic sampling)
 * @param updated    false when every prompt was dropped and no update was made
 * @param response   the combined listener response (STOP ends {@link GrpoMaTrainer#fit()})
 */
public record StepResult(long step, Map<String, Double> metrics, List<Prompt> prompts, RolloutBatch rollouts,
                         List<RewardScores> rewards, List<Advantages> advantages, boolean[] kept, boolean updated,
                         ListenerResponse response) {

    /** Copies the collections. */
    public StepResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        prompts = List.copyOf(prompts);
        rewards = List.copyOf(rewards);
        advantages = List.copyOf(advantages);
        kept = kept.clone();
    }

    /** A copy of the keep flags. */
    @Override
    public boolean[] kept() {
        return kept.clone();
    }

    /** One metric, NaN if absent. */
    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }
}
