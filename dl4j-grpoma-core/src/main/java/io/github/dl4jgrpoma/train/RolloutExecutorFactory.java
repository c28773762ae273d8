package io.github.dl4jgrpoma.train;

/**
 * Creates the {@link RolloutExecutor} of a trainer once it has built its engine and reward stage
 * ({@link GrpoMaTrainerBuilder#rolloutExecutor}).
 */
@FunctionalInterface
public interface RolloutExecutorFactory {

    /**
     * Thought rows (prompts x K) each shard of {@link #auto()} gets at least. Our choice, measured with
     * {@code bin/grpoma bench-step --compare-rollout-threads} (README "Speed"): two shards of 64 thought rows decode
     * 1.15x-1.21x faster on two threads than 128 rows on one (d = 128, 256); two shards of 16 rows no faster than 32 on
     * one, since a decoding step of few rows is mostly per-op overhead.
     */
    int AUTO_MIN_THOUGHT_ROWS_PER_SHARD = 64;

    /** The executor of a trainer with this setup. */
    RolloutExecutor create(RolloutSetup setup);

    /**
     * One engine call and one reward call on the trainer's thread; the default when the update differentiates the
     * SameDiff graph ({@link GrpoMaTrainerBuilder#rolloutExecutor}).
     */
    static RolloutExecutorFactory inProcess() {
        return InProcessRolloutExecutor::new;
    }

    /**
     * The step's prompts split by id into {@code threads} shards, sampled and scored on as many local threads.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    static RolloutExecutorFactory threadPool(int threads) {
        ThreadPoolRolloutExecutor.requireThreads(threads);
        return setup -> new ThreadPoolRolloutExecutor(setup, threads);
    }

    /**
     * The default when the update runs the policy's own backward pass: the step's prompts split by id into as many
     * shards as give each at least {@link #AUTO_MIN_THOUGHT_ROWS_PER_SHARD} thought rows, at most one per core
     * ({@link Runtime#availableProcessors()}), sampled and scored on as many local threads; a smaller step is one shard.
     * Its log-probs never count as one engine call's ({@link RolloutExecutor#reproducesEngineLogProbs()} is false
     * whatever the step and the cores), so under {@link OldLogProbs#AUTO} the trainer always recomputes the old
     * log-probs (free with the model's own backward pass, which takes them from the first epoch's forward) and the
     * weights do not depend on the machine's cores, as long as the shards sample the same tokens as one engine call (a
     * draw within float rounding of a boundary of the sampling distribution can pick another token: see
     * {@link RolloutExecutor}). Reward functions are called from several threads at once when a step has two or more
     * shards.
     */
    static RolloutExecutorFactory auto() {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        return setup -> new ThreadPoolRolloutExecutor(setup, cores, AUTO_MIN_THOUGHT_ROWS_PER_SHARD);
    }
}
