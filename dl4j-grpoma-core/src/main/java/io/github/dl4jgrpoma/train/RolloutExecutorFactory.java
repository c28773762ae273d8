package io.github.dl4jgrpoma.train;

/**
 * Creates the {@link RolloutExecutor} of a trainer once it has built its engine and reward stage
 * ({@link GrpoMaTrainerBuilder#rolloutExecutor}).
 */
@FunctionalInterface
public interface RolloutExecutorFactory {

    /** The executor of a trainer with this setup. */
    RolloutExecutor create(RolloutSetup setup);

    /** Today's behaviour (the default): one engine call and one reward call on the trainer's thread. */
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
}
