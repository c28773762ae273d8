package io.github.dl4jgrpoma.spark;

import java.io.Serializable;

import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.BatchRewardScorer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.reward.RewardScorer;

/**
 * How a Spark task rebuilds what it needs to sample and score a shard: the policy's architecture (its weights are
 * then overwritten with the step's broadcast weights), the tokenizer and the rewards. Shipped to the executors
 * with every task by Java serialization, so it holds only small settings (a config record, a seed), never a
 * model or an array; each call must return a new object, never one shared between tasks.
 */
public interface RolloutWorkerSpec extends Serializable {

    /**
     * A new policy of the trainer policy's architecture: same {@link PolicyModel#trainableVariables()} with the
     * same shapes and data type. Its initial weights do not matter.
     */
    PolicyModel newPolicy();

    /** The trainer's tokenizer (same vocabulary and special tokens). */
    Tokenizer tokenizer();

    /** The trainer's rewards (same names and weights). */
    CompositeReward reward();

    /**
     * The scorer a task uses; the default scores serially under the run's error policy. Override it to score with
     * a {@link io.github.dl4jgrpoma.reward.ParallelRewardScorer} (threads and a per-answer timeout), as the trainer
     * does with {@code parallelRewards}.
     */
    default BatchRewardScorer rewardScorer(CompositeReward reward, RewardErrorPolicy policy) {
        return BatchRewardScorer.serial(new RewardScorer(reward, policy));
    }
}
