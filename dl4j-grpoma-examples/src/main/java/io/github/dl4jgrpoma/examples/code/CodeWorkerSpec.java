package io.github.dl4jgrpoma.examples.code;

import java.time.Duration;

import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.examples.code.lang.SandboxLimits;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.BatchRewardScorer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.ParallelRewardScorer;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.spark.RolloutWorkerSpec;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * How a Spark task rebuilds a code run's policy, tokenizer and sandboxed rewards (each task its own
 * {@link Sandbox}), scored like the driver does: on {@code rewardThreads} threads with a per-answer timeout.
 * Sandbox failures on the workers are not reported: a failing program scores 0 (it does not throw, so
 * {@code rewards/tests/failures} stays 0) and the tasks' per-cause counters stay in the tasks; the summary's per-cause
 * counts cover the driver's held-out evaluations only.
 *
 * @param width           transformer width
 * @param layers          transformer layers
 * @param heads           attention heads
 * @param maxLength       sequence length
 * @param seed            initial weights (overwritten by the broadcast)
 * @param parseWeight     weight of the parse reward
 * @param rewardThreads   threads scoring a task's answers
 * @param rewardTimeoutMs per-answer reward timeout in ms
 */
public record CodeWorkerSpec(int width, int layers, int heads, int maxLength, long seed, double parseWeight,
                             int rewardThreads, int rewardTimeoutMs) implements RolloutWorkerSpec {
    private static final long serialVersionUID = 1L;

    /** The spec of a run. */
    public static CodeWorkerSpec of(CodeSettings s) {
        return new CodeWorkerSpec(s.width(), s.layers(), s.heads(), s.maxLength(), s.seed(), s.parseWeight(),
                s.rewardThreads(), s.rewardTimeoutMs());
    }

    /** The untrained transformer of a run with these settings. */
    static TransformerPolicy policy(Tokenizer tok, int width, int layers, int heads, int maxLength, long seed) {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(tok.vocabSize()).width(width).layers(layers)
                .heads(heads).maxLength(maxLength).seed(seed).build());
    }

    @Override
    public PolicyModel newPolicy() {
        return policy(tokenizer(), width, layers, heads, maxLength, seed);
    }

    @Override
    public Tokenizer tokenizer() {
        return CodeExperiment.tokenizer();
    }

    @Override
    public CompositeReward reward() {
        return new CodeRewards(new Sandbox(SandboxLimits.defaults())).create(parseWeight);
    }

    @Override
    public BatchRewardScorer rewardScorer(CompositeReward reward, RewardErrorPolicy policy) {
        return new ParallelRewardScorer(reward, policy, rewardThreads, Duration.ofMillis(rewardTimeoutMs));
    }
}
