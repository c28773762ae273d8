package io.github.dl4jgrpoma.train;

import java.util.List;

import io.github.dl4jgrpoma.data.Prompt;

/**
 * Where the rollout + reward phase of a {@link GrpoMaTrainer} step runs: sampling the K x M rollout trees of the
 * step's prompts and scoring every answer. The update always stays with the trainer.
 *
 * <p>Because every random draw of a prompt's rollout is keyed by {@code (seed, prompt id, thought, answer)}
 * ({@link io.github.dl4jgrpoma.rollout.RolloutEngine}), an executor may split the prompts into shards and sample
 * them anywhere (threads, processes, machines): with the same weights each shard samples the same tokens and rewards
 * as one engine call, while its log-probs differ by float rounding (a smaller batch rounds differently; see
 * {@link #reproducesEngineLogProbs()} and {@link OldLogProbs}). A draw that falls within that rounding of a boundary
 * of the sampling distribution can pick another token; then the runs diverge like two seeds would. Implementations: {@link InProcessRolloutExecutor} (one engine call,
 * then one reward call, on the trainer's thread; the default when the update differentiates the graph),
 * {@link ThreadPoolRolloutExecutor} (shards on local threads; with a minimum of thought rows per shard the default
 * {@link RolloutExecutorFactory#auto()} with the model's own backward pass), and the Spark executor of the
 * {@code dl4j-grpoma-spark} module.
 */
public interface RolloutExecutor {

    /**
     * Samples and scores the step's prompts.
     *
     * @param prompts the step's prompts, in order
     * @param seed    the step's rollout seed (the trainer derives it from the run seed and the step)
     * @return the rollout trees and reward scores, in prompt order, with the phase's timings
     * @throws io.github.dl4jgrpoma.reward.RewardException under the FAIL reward error policy when a reward fails
     */
    ScoredRollouts run(List<Prompt> prompts, long seed);

    /**
     * Whether the sampling log-probs this executor returns are bit-identical to one
     * {@link io.github.dl4jgrpoma.rollout.RolloutEngine} call over all the step's prompts. Executors that decode in
     * shards return false: smaller batches round differently (the tokens, drawn from the same seeds, are the same
     * unless a draw falls within rounding of a boundary). Under {@link OldLogProbs#AUTO} the trainer then recomputes
     * the old log-probs itself, so the weights do not depend on the sharding.
     *
     * <p>An executor that decodes in shards must override this and return false; the default (true) suits executors
     * that make one engine call over all the step's prompts. A sharding executor left at true keeps exactness only up
     * to rounding under {@link OldLogProbs#AUTO}.
     *
     * @return true by default
     */
    default boolean reproducesEngineLogProbs() {
        return true;
    }

    /** A short name for logs and benchmarks, e.g. {@code in-process}, {@code threads[2]}, {@code spark[local[2]]}. */
    String name();

    /**
     * Releases what the executor keeps between steps (the thread pool's threads and their workspaces);
     * {@link GrpoMaTrainer#close()} calls it. The default does nothing; later {@link #run} calls may fail.
     */
    default void close() {
    }
}
