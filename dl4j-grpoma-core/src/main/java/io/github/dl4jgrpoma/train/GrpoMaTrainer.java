package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.Seeds;
import io.github.dl4jgrpoma.data.PromptSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.SplittableRandom;

import org.nd4j.autodiff.listeners.Listener;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.algo.AdvantageEstimator;
import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.algo.GroupStats;
import io.github.dl4jgrpoma.checkpoint.Checkpoint;
import io.github.dl4jgrpoma.checkpoint.CheckpointException;
import io.github.dl4jgrpoma.checkpoint.CheckpointStore;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.Listeners;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.loss.AggregationRegistry;
import io.github.dl4jgrpoma.loss.GrpoLoss;
import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.BatchRewardScorer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.ParallelRewardScorer;
import io.github.dl4jgrpoma.reward.RewardScorer;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutEngine;

/**
 * GRPO-MA reinforcement learning of a {@link PolicyModel} (GRPO-MA.md section 3; plain GRPO with estimator
 * {@code "grpo"} and M = 1).
 *
 * <p>One {@link #step()} reads top to bottom: sample prompts (generator seeded from {@code (seed, step)}) ->
 * K x M rollouts (seeded from {@code (seed, step)}) -> rewards (these two on the builder's {@link RolloutExecutor}:
 * in-process by default, or shards by prompt id on threads or Spark) -> advantages -> packed batch
 * ({@link BatchPacker}) -> reference log-probs (beta &gt; 0) -> {@code innerEpochs} x (forward + backward of the
 * loss, Adam with global-norm clipping) -> metrics -> listeners -> {@code System.gc()} (SameDiff's off-heap
 * arrays are freed only by the Java GC; DL4J-NOTES section 6) every
 * {@link GrpoMaTrainerBuilder#collectionInterval(int)} steps, started on a daemon thread of the trainer so that the
 * next step's rollout does not wait for it ({@code StepEndCollection}; the next update does). With G1 (the JVM's
 * default) that call is a full stop-the-world collection (30-95 ms per step for a d=128 model on a 2-core
 * machine), which pauses every thread; with {@code -XX:+ExplicitGCInvokesConcurrent}, as {@code bin/grpoma} runs the JVM, it is a concurrent
 * cycle (other threads paused for about 7 ms) that runs beside the next step's rollout, and with
 * {@code -XX:GCTimeRatio=1} (also in {@code bin/grpoma}) G1 grows the Java heap for GC time only when its pauses
 * pass about 7 % of the time instead of 1 % (which these collections alone exceed; README "Speed").
 *
 * <p>The reference forward and the forward + backward run in chunks of whole prompts of about
 * {@link GrpoMaTrainerBuilder#updateChunkTokens} packed tokens, on {@link GrpoMaTrainerBuilder#updateThreads}
 * Java threads, and the graphs' references to their arrays are dropped after each pass
 * ({@link io.github.dl4jgrpoma.graph.SameDiffMemory}): this bounds the memory of a step and uses several cores
 * without ND4J's OpenMP threads. The chunk gradients are weighted so that their sum is the gradient of the whole
 * batch's loss (exact for the built-in aggregations; a custom aggregation keeps one chunk).
 *
 * <p>When the policy has its own forward and backward pass ({@link PolicyModel#logitsBackprop()}: the built-in text
 * transformer) the update runs it instead of differentiating the SameDiff graph: the loss, in a copy of its graph
 * whose input is the logits, gives {@code d loss / d logits} and the model's backward pass the parameter gradients
 * (the same up to float rounding, the update 1.5x-3x faster: README "Speed"). {@link GrpoMaTrainerBuilder#modelBackprop}
 * turns it off; SameDiff listeners ({@link GrpoMaTrainerBuilder#sameDiffListeners}) keep the graph.
 *
 * <p>Row layout ({@link GrpoMaTrainerBuilder#rowPacking}, {@link RowPacking}): by default, when the policy
 * {@link io.github.dl4jgrpoma.policy.PolicyModel#supportsPackedRows() supports packed rows} and M &gt; 1, each thought
 * and its M answers share one row with a tree attention mask, so a thought's tokens are forwarded once instead of M
 * times, in the update and in the reference forward; the loss attached for it reads per-token sequence weights so
 * that sequence means are those of one row per answer (our choice, exact up to float rounding).
 *
 * <p>The loss is {@link GrpoLoss} attached to {@code logits / temperature}, so its log-probs are those of the
 * distribution the rollout sampled from. The old log-probs are, by {@link GrpoMaConfig#oldLogProbs()}, the recorded
 * rollout log-probs (ratio 1 up to float error in the first inner epoch; the default with the in-process executor, no
 * extra forward pass) or recomputed over the packed rows (ratio exactly 1; the default when the rollout executor may
 * shard, as the default {@link RolloutExecutorFactory#auto()} does, and free with the model's own backward pass, see
 * {@link OldLogProbs}); either way the first step checks that the rollout's log-probs match the policy's
 * forward pass and fails on a stochastic policy ({@link OnPolicyCheck}). Top-k / top-p filtering is not reflected in
 * the old log-probs (see {@code TokenSampler}), and building a
 * trainer with filtering on logs one WARN saying so ({@link io.github.dl4jgrpoma.rollout.RolloutConfig#filteringWarning()}).
 *
 * <h2>Metrics (in this order; names follow TRL where it has one)</h2>
 * {@code rewards/<name>/mean|std|failures} per reward, {@code reward/mean}, {@code reward/std} (population std
 * over all K*M*P answers); {@code accuracy}: fraction of answers whose score ({@link GrpoMaConfig#accuracyReward()},
 * the total by default) is {@code >= successThreshold}; {@code thought_value/std}: mean over prompts of the std
 * of the K thought values; {@code adv/thought_std}, {@code adv/answer_std}: population std of all thought / answer
 * advantages of the step; {@code zero_std_frac/thought} (prompts whose thought values are all equal),
 * {@code zero_std_frac/answer} (answer groups without spread; "all equal" up to the relative tolerance of
 * {@link GroupStats#allEqual}, the same test that decides zero advantages and dynamic sampling's drops); {@code prompts_dropped}, {@code update_skipped}
 * (1 when dynamic sampling dropped every prompt; then the update metrics below are absent);
 * {@code loss}, {@code kl} (reference KL, beta &gt; 0 only), {@code approx_kl}, {@code clip_frac/low},
 * {@code clip_frac/high}, {@code ratio/mean}, {@code entropy}, {@code grad_norm} (before clipping): means over the
 * inner epochs of the values computed in each forward pass (before that epoch's update); {@code grad_spike_score}:
 * this step's {@code grad_norm} over the median of the previous 10 steps' (absent on the first step);
 * {@code len/thought}, {@code len/answer} (sampled tokens), {@code truncated_frac/thought|answer};
 * {@code tokens_per_s} (sampled tokens / rollout time); {@code time/rollout_ms}, {@code time/reward_ms},
 * {@code time/update_ms} (reward end to update end: advantages, packing, reference forward and all inner epochs),
 * and, with an update, its parts {@code time/pack_ms}, {@code time/reference_ms} (0 without a reference),
 * {@code time/forward_backward_ms}, {@code time/optimizer_ms} (summed over the inner epochs),
 * {@code update_tokens} (packed rows x T) and {@code update_chunks}; with
 * {@link io.github.dl4jgrpoma.loss.LossConfig#maskTruncatedCompletions()} {@code masked_truncated/tokens|frac} (loss
 * tokens of truncated sequences cleared), with {@link io.github.dl4jgrpoma.loss.LossConfig#entropyTopFraction()}
 * {@code < 1} {@code entropy_select/tokens|frac|threshold} (low-entropy loss tokens cleared, lowest kept entropy).
 *
 * <h2>Checkpoints and resume</h2>
 * With a checkpoint directory, {@link #fit()} writes a checkpoint every {@code checkpointEvery} steps (default
 * {@value GrpoMaConfig#DEFAULT_CHECKPOINT_EVERY}) and after the last one, with the config as {@code config.json}
 * (format: {@link TrainingCheckpoints}); {@link #restoreLatest()} (or {@link #resume(GrpoMaTrainerBuilder)}) restores weights, Adam state, step counter and spike-score history from the newest valid one, so the resumed
 * run continues exactly as an uninterrupted one. The RNG state is the step counter: all randomness of step
 * {@code s} derives from {@code (seed, s)}.
 */
public final class GrpoMaTrainer implements AutoCloseable {
    /** Phase name in step events and checkpoints. */
    public static final String PHASE = StepEvent.PHASE_RL;
    private static final Logger LOG = LoggerFactory.getLogger(GrpoMaTrainer.class);

    private final PolicyModel policy;
    private final PromptSource prompts;
    private final GrpoMaConfig config;
    private final Listeners listeners;
    private final String runName;
    private final CheckpointStore store;
    private final AdvantageEstimator estimator;
    private final PackingMode packing;
    private final RowPacking rowPacking;
    private final RolloutExecutor executor;
    private final BatchPacker packer;
    private final LossGraph loss;
    private final ReferencePolicy reference;
    private final GraphUpdater updater;
    private final ChunkedUpdate chunked;
    private final ModelBackprop modelBackprop;
    private volatile boolean closed;
    private final GradientSpikeTracker spikes = new GradientSpikeTracker();
    private final StepEndCollection collection;
    private final String fingerprint;
    private long completed;
    private long phaseStart = -1;
    private boolean onPolicyChecked;

    GrpoMaTrainer(GrpoMaTrainerBuilder b) {
        this.policy = require(b.policy, "policy");
        Tokenizer tokenizer = require(b.tokenizer, "tokenizer");
        this.prompts = require(b.prompts, "promptSource");
        this.config = require(b.config, "config");
        CompositeReward reward = require(b.reward, "reward");
        config.requireEstimatorIn(b.estimators);
        if (!config.accuracyReward().isEmpty() && !reward.names().contains(config.accuracyReward())) {
            throw new IllegalArgumentException("GrpoMaConfig.accuracyReward = " + config.accuracyReward()
                    + " is not a reward of the composite; use \"\" (the total) or one of " + reward.names());
        }
        if (tokenizer.vocabSize() != policy.vocabSize()) {
            throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " ids but the policy scores "
                    + policy.vocabSize() + "; build the policy with vocabSize = tokenizer.vocabSize()");
        }
        requireFits(1, "the shortest possible prompt");
        this.listeners = Listeners.of(b.listeners);
        this.runName = b.runName;
        this.store = b.checkpointDirectory == null ? null : new CheckpointStore(b.checkpointDirectory, config.keepCheckpoints());
        this.estimator = b.estimators.get(config.estimator());
        this.packing = config.packing().resolve(estimator);
        if (packing == PackingMode.COUPLED && config.rollout().answersPerThought() > 1) {
            throw new IllegalArgumentException("GrpoMaConfig.estimator = " + estimator.name() + " packs coupled advantages (one"
                    + " per whole response, plain GRPO) and needs M = 1, got M = " + config.rollout().answersPerThought()
                    + "; use a decoupled estimator such as " + GrpoMaConfig.DEFAULT_ESTIMATOR + " for M > 1, or set M = 1");
        }
        this.rowPacking = b.rowPacking.resolve(policy, packing, config.rollout().answersPerThought(), config.loss());
        RolloutEngine engine = new RolloutEngine(policy.decoder(), config.rollout());
        config.rollout().filteringWarning().ifPresent(LOG::warn);
        RewardStage rewards = new RewardStage(tokenizer, b.rewardTimeout == null
                ? BatchRewardScorer.serial(new RewardScorer(reward, config.rewardErrorPolicy()))
                : new ParallelRewardScorer(reward, config.rewardErrorPolicy(), b.rewardThreads, b.rewardTimeout));
        double temperature = config.rollout().temperature();
        boolean tree = rowPacking == RowPacking.TREE;
        this.modelBackprop = b.modelBackprop && b.sameDiffListeners.isEmpty() ? policy.logitsBackprop()
                .map(bp -> new ModelBackprop(bp, temperature, policy.trainableVariables(), () -> new LogitsLoss(policy.vocabSize(), policy.dataType(), temperature,
                        config.loss(), tree))).orElse(null) : null;
        RolloutExecutorFactory executorFactory = b.rolloutExecutor != null ? b.rolloutExecutor
                : modelBackprop != null ? RolloutExecutorFactory.auto() : RolloutExecutorFactory.inProcess();
        this.executor = require(executorFactory.create(new RolloutSetup(policy, tokenizer, config, engine, rewards)),
                "rolloutExecutor (the factory returned null)");
        this.packer = new BatchPacker(policy.maxLength(), policy.dataType(), tokenizer.pad());
        this.reference = config.loss().usesReference() ? ReferencePolicy.copyOf(policy, temperature) : null;
        SameDiff sd = policy.sameDiff();
        SDVariable logits = sd.getVariable(policy.logitsName());
        this.loss = GrpoLoss.attach(sd, temperature == 1.0 ? logits : logits.div(temperature), policy.vocabSize(),
                config.loss(), AggregationRegistry.defaults(), freePrefix(sd), rowPacking == RowPacking.TREE);
        UnsafeOps.requireNone(sd, "policy + GRPO-MA loss");
        if (!b.sameDiffListeners.isEmpty()) {
            sd.addListeners(b.sameDiffListeners.toArray(new Listener[0]));
        }
        this.updater = new GraphUpdater(policy, loss.loss(), config.optimizer());
        int threads = b.sameDiffListeners.isEmpty() ? b.updateThreads : 1;     // listeners may not be thread-safe
        this.collection = new StepEndCollection(b.collectionInterval > 0 ? b.collectionInterval
                : modelBackprop != null ? GrpoMaTrainerBuilder.DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL : 1);
        this.chunked = new ChunkedUpdate(policy, loss, config.loss(), updater, reference, b.updateChunkTokens, threads,
                modelBackprop);
        this.fingerprint = TrainingCheckpoints.fingerprint(config, GrpoMaConfig.NOT_FINGERPRINTED, policy);
    }

    /** A builder; policy, tokenizer, prompt source, reward and config are required. */
    public static GrpoMaTrainerBuilder builder() {
        return new GrpoMaTrainerBuilder();
    }

    /** Builds the trainer and restores the newest valid checkpoint of its directory, if there is one. */
    public static GrpoMaTrainer resume(GrpoMaTrainerBuilder builder) {
        GrpoMaTrainer t = builder.build();
        t.restoreLatest();
        return t;
    }

    /** Where the rollout + reward phase runs ({@link GrpoMaTrainerBuilder#rolloutExecutor}). */
    public RolloutExecutor rolloutExecutor() {
        return executor;
    }

    /** The configuration. */
    public GrpoMaConfig config() {
        return config;
    }

    /** Steps completed so far (restored ones included). */
    public long completedSteps() {
        return completed;
    }

    /** How advantages map to tokens in this run: the config's packing, AUTO resolved by the estimator. */
    public PackingMode packing() {
        return packing;
    }

    /** How the update lays rollout trees out in rows (AUTO resolved). */
    public RowPacking rowPacking() {
        return rowPacking;
    }

    /**
     * Whether the update runs the policy's own forward and backward pass ({@link GrpoMaTrainerBuilder#modelBackprop})
     * rather than differentiating its SameDiff graph.
     */
    public boolean usesModelBackprop() {
        return modelBackprop != null;
    }

    /** The names of the loss placeholders and outputs in the policy graph. */
    public LossGraph lossGraph() {
        return loss;
    }

    /** The SHA-256 config fingerprint recorded in checkpoints. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Stops the update's threads and frees their ND4J workspaces at once (idle threads also stop by themselves after 5
     * minutes; their workspaces are then freed by the GC), closes the rollout executor (its threads, if any) and stops the step-end collection's thread. Call it when a process builds several trainers one after
     * another (the benchmarks do). Later {@link #step()} calls throw {@link IllegalStateException}; closing twice does nothing.
     */
    @Override
    public void close() {
        closed = true;
        chunked.close();
        executor.close();
        collection.close();
    }

    /** Every how many steps the step-end collection starts ({@link GrpoMaTrainerBuilder#collectionInterval(int)}). */
    public int collectionInterval() {
        return collection.interval();
    }

    /**
     * Waits until the step-end collection that the last {@link #step()} started, if it started one (see
     * {@link GrpoMaTrainerBuilder#collectionInterval(int)}), has ended; returns at once otherwise. A training loop need
     * not call it (the next step waits before its update); a benchmark that interleaves steps with other work calls it
     * before that work, so that the collection does not run into it ({@code bench-step} does so outside its timed
     * region).
     *
     * @throws IllegalStateException if that collection failed
     */
    public void awaitStepEndCollection() {
        collection.awaitIdle();
    }

    /** How many step-end collections this trainer has started; for tests. */
    int stepEndCollections() {
        return collection.started();
    }

    /**
     * Runs one RL step (see the class documentation) and reports it to the listeners.
     *
     * @throws IllegalStateException if the trainer was {@linkplain #close() closed}, or the previous step's step-end
     *                               collection failed (reported once)
     */
    public StepResult step() {
        if (closed) {
            throw new IllegalStateException("this GrpoMaTrainer was closed; build a new one (GrpoMaTrainer.resume continues a run)");
        }
        if (phaseStart < 0) {
            phaseStart = System.currentTimeMillis();
        }
        long s = completed;
        List<Prompt> batchPrompts = samplePrompts(s);
        ScoredRollouts phase = executor.run(batchPrompts, seed(s, 2));
        collection.awaitIdle();                  // the previous step's garbage is freed before the update allocates
        RolloutBatch batch = phase.batch();
        List<RewardScores> scores = phase.scores();
        long t2 = System.nanoTime();
        GroupAdvantages estimated = GroupAdvantages.estimate(scores, estimator, config.advantage(), config.dynamicSampling());
        List<Advantages> advantages = estimated.advantages();
        boolean[] keep = estimated.keep();
        int dropped = estimated.dropped();
        Map<String, Double> update = estimated.allDropped() ? Map.of() : update(batch, advantages, keep);
        long t3 = System.nanoTime();

        Map<String, Double> metrics = new LinkedHashMap<>();
        StepMetrics.rewards(metrics, scores, config.successThreshold(), config.accuracyReward());
        StepMetrics.advantages(metrics, advantages);
        metrics.put("prompts_dropped", (double) dropped);
        metrics.put("update_skipped", update.isEmpty() ? 1.0 : 0.0);
        metrics.putAll(update);
        if (update.containsKey("grad_norm")) {
            double spike = spikes.score(update.get("grad_norm"));
            if (!Double.isNaN(spike)) {
                metrics.put("grad_spike_score", spike);
            }
        } else {
            LOG.warn("step {}: every prompt had equal rewards and was dropped; no update was made", s + 1);
        }
        StepMetrics.lengths(metrics, batch);
        metrics.put("tokens_per_s", batch.sampledTokens() / Math.max(1e-9, phase.rolloutMs() / 1e3));
        metrics.put("time/rollout_ms", phase.rolloutMs());
        metrics.put("time/reward_ms", phase.rewardMs());
        metrics.put("time/update_ms", (t3 - t2) / 1e6);
        metrics.putAll(phase.extra());
        completed = s + 1;
        ListenerResponse response = listeners.onStep(new StepEvent(PHASE, completed, Math.max(completed, config.steps()),
                System.currentTimeMillis() - phaseStart, metrics));
        StepResult result = new StepResult(completed, metrics, batchPrompts, batch, scores, advantages, keep,
                !update.isEmpty(), response);
        collection.request();
        return result;
    }

    /** Runs steps until {@link GrpoMaConfig#steps()} are completed, honouring STOP, with checkpoints. */
    public TrainingResult fit() {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("phase", PHASE);
        summary.put("estimator", config.estimator());
        summary.put("K", Integer.toString(config.rollout().thoughts()));
        summary.put("M", Integer.toString(config.rollout().answersPerThought()));
        summary.put("promptsPerStep", Integer.toString(config.promptsPerStep()));
        summary.put("packing", packing.name());
        summary.put("rowPacking", rowPacking.name());
        summary.put("startStep", Long.toString(completed));
        return FitLoop.run(listeners, runName, config.steps(), summary, config.checkpointEvery(),
                () -> completed, () -> {
                    StepResult r = step();
                    return new FitLoop.Outcome(r.metrics(), r.response());
                }, store == null ? null : this::saveCheckpoint);
    }

    /**
     * Writes a checkpoint of the completed steps.
     *
     * @throws IllegalStateException without a checkpoint directory
     */
    public Checkpoint saveCheckpoint() {
        CheckpointStore s = TrainingCheckpoints.requireStore(store, "set one in the builder");
        Properties state = TrainingCheckpoints.state(PHASE, completed);
        state.setProperty("gradNormHistory", spikes.history().stream().map(d -> Long.toString(Double.doubleToLongBits(d)))
                .reduce((a, c) -> a + "," + c).orElse(""));
        return s.save(completed, fingerprint, dir -> TrainingCheckpoints.write(dir, config, policy, updater.optimizer(), state,
                reference == null ? null : reference.sameDiff()));
    }

    /**
     * Restores the newest valid checkpoint of the checkpoint directory (invalid newer ones are skipped with a
     * WARN).
     *
     * @return the restored step, or empty when the directory holds no checkpoint
     * @throws CheckpointException if checkpoints exist but none is valid, or the config fingerprint differs
     */
    public OptionalLong restoreLatest() {
        Optional<Checkpoint> latest = TrainingCheckpoints.latest(
                TrainingCheckpoints.requireStore(store, "set one in the builder"));
        latest.ifPresent(this::restore);
        return latest.isPresent() ? OptionalLong.of(completed) : OptionalLong.empty();
    }

    /** Restores a given checkpoint after verifying it again (fingerprint, phase and SHA-256 sums). */
    public void restore(Checkpoint checkpoint) {
        Checkpoint c = store != null ? store.verify(checkpoint) : checkpoint;
        Properties state = TrainingCheckpoints.restore(c, fingerprint, config, GrpoMaConfig.builder().build(), GrpoMaConfig.NOT_FINGERPRINTED, PHASE, policy, updater.optimizer());
        if (reference != null) {
            TrainingCheckpoints.restoreWeights(c, TrainingCheckpoints.REFERENCE, reference.parameters(policy.trainableVariables()));
        }
        List<Double> history = new ArrayList<>();
        String h = state.getProperty("gradNormHistory", "");
        for (String part : h.isEmpty() ? new String[0] : h.split(",")) {
            history.add(Double.longBitsToDouble(Long.parseLong(part)));
        }
        spikes.restore(history);
        completed = Long.parseLong(TrainingCheckpoints.require(state, "step", c));
        LOG.info("restored checkpoint {} (step {})", c.directory(), completed);
    }

    private List<Prompt> samplePrompts(long s) {
        List<Prompt> out = prompts.sample(config.promptsPerStep(), new SplittableRandom(seed(s, 1)));
        if (out == null || out.size() != config.promptsPerStep()) {
            throw new IllegalStateException("PromptSource returned " + (out == null ? "null" : out.size() + " prompts")
                    + " for " + config.promptsPerStep() + " requested; it must return exactly count prompts");
        }
        for (Prompt p : out) {
            requireFits(p.length(), "prompt '" + p.text() + "' (id " + p.id() + ")");
            for (int t : p.tokens()) {
                if (t < 0 || t >= policy.vocabSize()) {
                    throw new IllegalArgumentException("prompt '" + p.text() + "' (id " + p.id() + ") holds token id " + t
                            + ", outside the policy's vocabulary [0, " + policy.vocabSize() + "); fix: encode prompts with the"
                            + " trainer's tokenizer");
                }
            }
            if (!p.conditioning().names().equals(policy.conditioningNames())) {
                throw new IllegalArgumentException("prompt '" + p.text() + "' (id " + p.id() + ") carries conditioning "
                        + p.conditioning().names() + " but the policy takes " + policy.conditioningNames() + "; fix: give every"
                        + " prompt exactly the policy's conditioning (Prompt.conditioned(...)), and declare each conditioning"
                        + " placeholder of a SameDiffPolicy with builder().conditioning(name)");
            }
        }
        return out;
    }

    private Map<String, Double> update(RolloutBatch batch, List<Advantages> advantages, boolean[] keep) {
        long t0 = System.nanoTime();
        PackedBatch packed = packer.pack(batch, advantages, keep, packing, rowPacking);
        Map<String, Double> masked = new LinkedHashMap<>();
        if (config.loss().maskTruncatedCompletions()) {
            packed = LossTokenSelection.maskTruncated(packed, batch, packing, masked);
        }
        long t1 = System.nanoTime();
        long step = completed + 1;
        Map<String, Double> out = chunked.run(packed, config.innerEpochs(), recomputeOldLogProbs(), onPolicyChecked ? m -> { }
                : m -> OnPolicyCheck.require(m.get("ratio/mean"), m.get("approx_kl"), step));
        onPolicyChecked = true;
        out.putAll(masked);
        out.put("time/pack_ms", (t1 - t0) / 1e6);
        return out;
    }

    /** {@link OldLogProbs} resolved against the executor. */
    private boolean recomputeOldLogProbs() {
        return switch (config.oldLogProbs()) {
            case RECOMPUTE -> true;
            case ROLLOUT -> false;
            case AUTO -> !executor.reproducesEngineLogProbs();
        };
    }

    private void requireFits(int promptLength, String what) {
        int need = config.rollout().maxSequenceLength(promptLength);
        int room = policy.maxLength() - promptLength - 1;
        if (need > policy.maxLength() && room < 2) {
            throw new IllegalArgumentException("GrpoMaConfig.rollout: " + what + " has " + promptLength + " tokens, which leaves no"
                    + " room for a thought token, the end-of-thought and an answer token within the policy's maxLength "
                    + policy.maxLength() + "; fix: shorten the prompt to at most " + (policy.maxLength() - 3)
                    + " tokens or build the policy with maxLength >= " + need);
        }
        if (need > policy.maxLength()) {
            throw new IllegalArgumentException("GrpoMaConfig.rollout: " + what + " has " + promptLength + " tokens; with"
                    + " maxThoughtTokens = " + config.rollout().maxThoughtTokens() + ", a forced end-of-thought and"
                    + " maxAnswerTokens = " + config.rollout().maxAnswerTokens() + " a sequence may reach " + need
                    + " tokens, more than the policy's maxLength " + policy.maxLength() + "; fix: make maxThoughtTokens +"
                    + " maxAnswerTokens <= " + room + ", shorten the prompt, or build the policy with maxLength >= " + need);
        }
    }

    /** {@code grpo_}, or {@code grpo<n>_} when an earlier trainer already attached a loss to this graph. */
    private static String freePrefix(SameDiff sd) {
        String prefix = GrpoLoss.DEFAULT_PREFIX;
        for (int i = 2; sd.hasVariable(prefix + "loss"); i++) {
            prefix = "grpo" + i + "_";
        }
        return prefix;
    }

    /** Independent seeds per step and purpose (1: prompt sampling, 2: rollouts), derived from the run seed. */
    private long seed(long step, int stream) {
        return Seeds.mix(config.seed(), step, stream);
    }

    private static <T> T require(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("GrpoMaTrainer." + name + " is required; set it on the builder");
        }
        return value;
    }
}
