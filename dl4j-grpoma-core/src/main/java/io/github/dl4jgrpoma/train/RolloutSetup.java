package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.rollout.RolloutEngine;

/**
 * What a trainer hands its {@link RolloutExecutorFactory}.
 *
 * @param policy    the live policy the trainer updates (an executor that ships weights reads
 *                  {@link PolicyModel#parameters()} at every step)
 * @param tokenizer the trainer's tokenizer
 * @param config    the run configuration (rollout settings, reward error policy)
 * @param engine    the trainer's engine on the policy's decoder
 * @param rewards   the trainer's reward stage (serial or parallel scorer, under the config's error policy)
 */
public record RolloutSetup(PolicyModel policy, Tokenizer tokenizer, GrpoMaConfig config, RolloutEngine engine,
                           RewardStage rewards) {
}
