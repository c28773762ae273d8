package io.github.dl4jgrpoma.examples.bench;

import io.github.dl4jgrpoma.train.RowPacking;

/**
 * The shapes of one {@code bench-step} configuration: model, batch, rollout lengths and loss.
 *
 * @param vocab        vocabulary size V (at least 16: 5 special ids and the benchmark alphabet's digits)
 * @param width        model width D
 * @param layers       transformer blocks L
 * @param heads        attention heads H
 * @param prompts      prompts per step P
 * @param promptLength tokens per prompt (BOS + body + begin-of-thought)
 * @param thought      sampled thought tokens (fixed: stop tokens are suppressed)
 * @param answer       sampled answer tokens (fixed)
 * @param thoughts     K, thoughts per prompt
 * @param answers      M, answers per thought
 * @param beta         weight of the k3 KL to the reference policy
 * @param seed         seed of weights, prompts and sampling
 * @param updateThreads Java threads of the update ({@code GrpoMaTrainerBuilder.updateThreads})
 * @param chunkTokens  packed tokens per update chunk ({@code GrpoMaTrainerBuilder.updateChunkTokens})
 * @param rowPacking   row layout of the update ({@code GrpoMaTrainerBuilder.rowPacking})
 * @param modelBackprop the model's own forward and backward pass in the update, or the SameDiff graph differentiated
 *                     ({@code GrpoMaTrainerBuilder.modelBackprop})
 * @param rolloutThreads 0: the trainer's default executor ({@code RolloutExecutorFactory.auto()} with the model's
 *                     backprop, in-process with the graph's); 1: the rollout in the trainer's thread
 *                     ({@code RolloutExecutorFactory.inProcess()}); N > 1: the prompts in N shards on as many threads
 *                     ({@code RolloutExecutorFactory.threadPool(N)})
 */
record StepSettings(int vocab, int width, int layers, int heads, int prompts, int promptLength, int thought, int answer,
                    int thoughts, int answers, double beta, long seed, int updateThreads, int chunkTokens,
                    RowPacking rowPacking, boolean modelBackprop, int rolloutThreads, int collectionInterval) {

    /** The same settings with another number of update threads. */
    StepSettings withUpdateThreads(int threads) {
        return new StepSettings(vocab, width, layers, heads, prompts, promptLength, thought, answer, thoughts, answers,
                beta, seed, threads, chunkTokens, rowPacking, modelBackprop, rolloutThreads, collectionInterval);
    }

    /** The same settings with the model's own backward pass on or off. */
    StepSettings withModelBackprop(boolean on) {
        return new StepSettings(vocab, width, layers, heads, prompts, promptLength, thought, answer, thoughts, answers,
                beta, seed, updateThreads, chunkTokens, rowPacking, on, rolloutThreads, collectionInterval);
    }

    /** The same settings with another number of rollout threads. */
    StepSettings withRolloutThreads(int threads) {
        return new StepSettings(vocab, width, layers, heads, prompts, promptLength, thought, answer, thoughts, answers,
                beta, seed, updateThreads, chunkTokens, rowPacking, modelBackprop, threads, collectionInterval);
    }

    /** What the trainer's default executor with the model's backprop does, for help and headers. */
    static final String AUTO_DESCRIPTION = "auto: prompts in shards of >= "
            + io.github.dl4jgrpoma.train.RolloutExecutorFactory.AUTO_MIN_THOUGHT_ROWS_PER_SHARD
            + " thought rows on up to " + Runtime.getRuntime().availableProcessors() + " threads";

    /**
     * Whether the rollout runs in-process on the trainer's thread: 1 rollout thread, or 0 (the trainer's default) when
     * the update differentiates the graph.
     */
    boolean rolloutInProcess() {
        return rolloutThreads == 1 || rolloutThreads == 0 && !modelBackprop;
    }

    /** The rollout executor of {@code rolloutThreads} (see the record's parameter), for headers. */
    static String rollout(int rolloutThreads, boolean modelBackprop) {
        return rolloutThreads == 0 ? (modelBackprop ? AUTO_DESCRIPTION : "in-process (the graph's default)")
                : rolloutThreads == 1 ? "in-process" : "on " + rolloutThreads + " threads";
    }

    /** Sequence length of the policy: prompt + thought + forced end-of-thought + answer. */
    int maxLength() {
        return promptLength + thought + 1 + answer;
    }

    /** {@code T16A1}, {@code T4A4}, ... */
    String shape() {
        return "T" + thoughts + "A" + answers;
    }
}
