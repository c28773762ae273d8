package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.PromptSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.autodiff.listeners.Listener;

import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;

/**
 * Builder of {@link GrpoMaTrainer}. Required: {@link #policy}, {@link #tokenizer}, {@link #promptSource},
 * {@link #reward} and {@link #config}. Optional: listeners (none), a checkpoint directory (none), SameDiff
 * listeners passed through to the policy graph with {@code sd.addListeners} (none), an estimator registry
 * ({@link AdvantageEstimators#defaults()}) and the run name ({@code "grpo-ma"}).
 */
public final class GrpoMaTrainerBuilder {
    PolicyModel policy;
    Tokenizer tokenizer;
    PromptSource prompts;
    CompositeReward reward;
    GrpoMaConfig config;
    final List<TrainingListener> listeners = new ArrayList<>();
    final List<Listener> sameDiffListeners = new ArrayList<>();
    Path checkpointDirectory;
    AdvantageEstimators estimators = AdvantageEstimators.defaults();
    String runName = "grpo-ma";
    int rewardThreads;
    Duration rewardTimeout;
    int updateChunkTokens = DEFAULT_UPDATE_CHUNK_TOKENS;
    int updateThreads = Math.min(2, Runtime.getRuntime().availableProcessors());
    RowPacking rowPacking = RowPacking.AUTO;
    boolean modelBackprop = true;
    RolloutExecutorFactory rolloutExecutor;             // null: the default for the update's kind
    int collectionInterval;                  // 0: the default for the update's kind

    /** Default of {@link #collectionInterval(int)} when the update runs the policy's own backward pass. */
    public static final int DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL = 4;

    /** Default of {@link #updateChunkTokens(int)}. */
    public static final int DEFAULT_UPDATE_CHUNK_TOKENS = 2048;

    GrpoMaTrainerBuilder() {
    }

    /** The policy to train (its graph gets the loss attached, once). */
    public GrpoMaTrainerBuilder policy(PolicyModel v) {
        policy = v;
        return this;
    }

    /** Decodes thoughts and answers for the rewards; its vocabulary must match the policy's. */
    public GrpoMaTrainerBuilder tokenizer(Tokenizer v) {
        tokenizer = v;
        return this;
    }

    /** Where the prompts of each step come from. */
    public GrpoMaTrainerBuilder promptSource(PromptSource v) {
        prompts = v;
        return this;
    }

    /** A weighted composite of named rewards. */
    public GrpoMaTrainerBuilder reward(CompositeReward v) {
        reward = v;
        return this;
    }

    /** A single reward (wrapped in a composite named "total" with weight 1). */
    public GrpoMaTrainerBuilder reward(RewardFunction v) {
        reward = v == null ? null : v instanceof CompositeReward c ? c : CompositeReward.of(v);
        return this;
    }

    /**
     * Scores the answers of each step on {@code threads} threads with a wall-clock limit per reward call
     * ({@link io.github.dl4jgrpoma.reward.ParallelRewardScorer}); a timeout is a reward failure under
     * {@link GrpoMaConfig#rewardErrorPolicy()}. Without this call rewards are scored serially with no limit.
     */
    public GrpoMaTrainerBuilder parallelRewards(int threads, Duration timeoutPerAnswer) {
        rewardThreads = threads;
        rewardTimeout = timeoutPerAnswer;
        return this;
    }

    /** The run configuration. */
    public GrpoMaTrainerBuilder config(GrpoMaConfig v) {
        config = v;
        return this;
    }

    /** Adds training listeners, called in order. */
    public GrpoMaTrainerBuilder listeners(List<? extends TrainingListener> v) {
        listeners.addAll(v);
        return this;
    }

    /** Adds one training listener. */
    public GrpoMaTrainerBuilder listener(TrainingListener v) {
        listeners.add(v);
        return this;
    }

    /** Directory of the {@link io.github.dl4jgrpoma.checkpoint.CheckpointStore} (needed for checkpoints and resume). */
    public GrpoMaTrainerBuilder checkpointDirectory(Path v) {
        checkpointDirectory = v;
        return this;
    }

    /** Raw SameDiff listeners, added to the policy graph. */
    public GrpoMaTrainerBuilder sameDiffListeners(List<? extends Listener> v) {
        sameDiffListeners.addAll(v);
        return this;
    }

    /** Registry in which {@link GrpoMaConfig#estimator()} is looked up. */
    public GrpoMaTrainerBuilder estimators(AdvantageEstimators v) {
        estimators = v;
        return this;
    }

    /**
     * Packed tokens (rows x T) per chunk of the update (default {@value #DEFAULT_UPDATE_CHUNK_TOKENS}); a chunk
     * holds at least one whole prompt. Smaller chunks need less memory (the arrays of a forward + backward pass
     * grow with rows x T x width) and cost more per-op overhead; the result does not depend on it beyond float
     * rounding, except with the {@code "bnpo"} aggregation, whose local batch is one chunk. Not part of the checkpoint fingerprint. Our choice: 2048 keeps the d=128..256 models of
     * {@code bench-step} under 1.5 GB RSS.
     *
     * @throws IllegalArgumentException if {@code v < 1}
     */
    public GrpoMaTrainerBuilder updateChunkTokens(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GrpoMaTrainer.updateChunkTokens = " + v + "; use >= 1 (default "
                    + DEFAULT_UPDATE_CHUNK_TOKENS + ")");
        }
        updateChunkTokens = v;
        return this;
    }

    /**
     * Java threads computing update chunks concurrently (default: 2, or 1 on a one-core machine). Each thread
     * runs its own SameDiff session; with SameDiff listeners the update stays on one thread. Not part of the
     * checkpoint fingerprint.
     *
     * @throws IllegalArgumentException if {@code v < 1}
     */
    public GrpoMaTrainerBuilder updateThreads(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GrpoMaTrainer.updateThreads = " + v + "; use >= 1 (1 = no extra threads)");
        }
        updateThreads = v;
        return this;
    }

    /**
     * How the update lays rollout trees out in rows (default {@link RowPacking#AUTO}: one row per thought with its M
     * answers when the policy supports packed rows and M &gt; 1, else one row per answer). The loss is the same either
     * way; not part of the checkpoint fingerprint.
     *
     * @throws IllegalArgumentException if {@code v} is null
     */
    public GrpoMaTrainerBuilder rowPacking(RowPacking v) {
        if (v == null) {
            throw new IllegalArgumentException("GrpoMaTrainer.rowPacking is null; use AUTO (default), PER_ANSWER or TREE");
        }
        rowPacking = v;
        return this;
    }

    /**
     * Whether the update uses the policy's own forward and backward pass when it has one
     * ({@link PolicyModel#logitsBackprop()}: the built-in text transformer) instead of differentiating its SameDiff
     * graph (default true; same loss and gradients up to float rounding, the update 1.5x-3x faster in `bench-step --compare-backprop` runs, README "Speed"). The
     * graph is differentiated anyway when SameDiff listeners are attached ({@link #sameDiffListeners}), since they
     * watch the graph's ops. False: always the graph (for comparisons).
     */
    public GrpoMaTrainerBuilder modelBackprop(boolean v) {
        modelBackprop = v;
        return this;
    }

    /**
     * Where the rollout + reward phase of each step runs; e.g. {@link RolloutExecutorFactory#inProcess()},
     * {@link RolloutExecutorFactory#threadPool(int)} or the Spark executor of {@code dl4j-grpoma-spark}. The update
     * always runs in the trainer. Default: {@link RolloutExecutorFactory#auto()} (prompts in shards of at least 64
     * thought rows on the machine's cores; old log-probs recomputed from the first epoch's forward at no cost) when the
     * update runs the policy's own backward pass ({@link #modelBackprop}), {@link RolloutExecutorFactory#inProcess()}
     * when it differentiates the SameDiff graph (where recomputing the old log-probs would cost a forward pass). With
     * the thread pool and {@code auto()} the reward functions are called from several threads at once (one per shard).
     *
     * @throws IllegalArgumentException if {@code v} is null
     */
    public GrpoMaTrainerBuilder rolloutExecutor(RolloutExecutorFactory v) {
        if (v == null) {
            throw new IllegalArgumentException("rolloutExecutor is null; fix: leave it unset for the default"
                    + " (RolloutExecutorFactory.auto() with the model's own backward pass, inProcess() otherwise) or pass"
                    + " e.g. RolloutExecutorFactory.inProcess()");
        }
        rolloutExecutor = v;
        return this;
    }

    /**
     * Every how many steps the trainer starts its step-end collection ({@code System.gc()} on a thread of the trainer,
     * which frees the off-heap buffers of unreachable ND4J arrays; DL4J-NOTES section 6); the first step always
     * collects. Default: {@value #DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL} when the update runs the policy's own
     * forward and backward pass ({@link #modelBackprop}), 1 when it differentiates the SameDiff graph. Our choice,
     * measured: a model-backprop step leaves 1-2 MB that the JVM's own young collections do not free (d=128),
     * so collecting every few steps keeps memory flat, while a collection after every step cost pauses (and G1 heap
     * growth) and slowed the next rollout it ran beside; a graph update leaves hundreds of megabytes per step
     * (README "Speed"). 4 rather than 8: with 8, one default bench-step run peaked at 1.80 GB (1.39 GB in another),
     * with 4 at 1.38 GB in both runs. Not part of the checkpoint fingerprint.
     *
     * @throws IllegalArgumentException if {@code v < 1}
     */
    public GrpoMaTrainerBuilder collectionInterval(int v) {
        if (v < 1) {
            throw new IllegalArgumentException("GrpoMaTrainer.collectionInterval = " + v + "; use >= 1 (1 collects after"
                    + " every step; default " + DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL + " with the model's own"
                    + " backward pass, 1 with the graph's)");
        }
        collectionInterval = v;
        return this;
    }

    /** Name of the run in the start event. */
    public GrpoMaTrainerBuilder runName(String v) {
        runName = v;
        return this;
    }

    /** Attaches the loss and builds the trainer (validating everything). */
    public GrpoMaTrainer build() {
        if (estimators == null) {
            throw new IllegalArgumentException("GrpoMaTrainer.estimators is null; pass AdvantageEstimators.defaults()");
        }
        return new GrpoMaTrainer(this);
    }
}
