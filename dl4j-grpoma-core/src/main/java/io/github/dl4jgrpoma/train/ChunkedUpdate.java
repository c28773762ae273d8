package io.github.dl4jgrpoma.train;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.nd4j.autodiff.samediff.SameDiff;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.SameDiffMemory;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * The update of one GRPO-MA step on a packed batch: with {@code LossConfig.entropyTopFraction < 1} a forward pass
 * for the token entropies and the selection of the highest-entropy tokens ({@link LossTokenSelection#topEntropy},
 * once per step, before any update, so under the sampling policy), with {@link OldLogProbs#RECOMPUTE} the old log-probs
 * from a forward pass of the policy, reference log-probs, then {@code innerEpochs} x (forward +
 * backward, Adam), each computed in chunks of whole prompts ({@link UpdateChunks}) so that the arrays of only
 * a few chunks are alive at once, and the chunks spread over {@code threads} Java threads (one ND4J session
 * each). The result equals the one-chunk update up to float rounding: the gradient is the weighted sum of the
 * chunk gradients and the metrics are the weighted means of the chunk metrics.
 *
 * <p>Why Java threads: at these sizes most ops are too small for ND4J's OpenMP threads, which on a shared
 * 2-core machine cost more in synchronisation than they gain (DL4J-NOTES section 8); independent chunks need
 * no synchronisation until their gradients are summed.
 *
 * <p>The first {@link #run} executes its chunks one after another on the caller's thread, the later ones on the pool.
 * Our choice, a guard: once, in a full test run, two threads executing a freshly loaded reference graph (tree rows)
 * for the first time failed inside M2.1's {@code InferenceSession} ({@code getVariable(...)} returned null for an
 * op output); the suspect is SameDiff's lazy per-op set-up on first execution, which is not thread-safe.
 */
final class ChunkedUpdate implements AutoCloseable {
    private final LossGraph loss;
    private final LossConfig lossConfig;
    private final GraphUpdater updater;
    private final ReferencePolicy reference;
    private final PolicyModel policy;
    private final int chunkTokens;
    private final ExecutorService pool;
    private final ModelBackprop direct;
    private final int threads;
    private boolean executedOnce;

    /**
     * @param chunkTokens target rows x T per chunk (a chunk holds at least one whole prompt)
     * @param threads     Java threads for the chunks (1: all on the caller's thread)
     * @param direct      the policy's own forward and backward pass, or null to differentiate the policy graph
     */
    ChunkedUpdate(PolicyModel policy, LossGraph loss, LossConfig lossConfig, GraphUpdater updater,
                  ReferencePolicy reference, int chunkTokens, int threads, ModelBackprop direct) {
        this.policy = policy;
        this.direct = direct;
        this.loss = loss;
        this.lossConfig = lossConfig;
        this.updater = updater;
        this.reference = reference;
        this.chunkTokens = chunkTokens;
        this.pool = ChunkTasks.pool(threads);
        this.threads = Math.max(1, threads);
    }

    /**
     * Metrics of the update (means over inner epochs) and its timings ({@code time/*_ms}).
     *
     * @param recomputeOld    replace the rollout's old log-probs by the policy's own before the first epoch
     *                        ({@link OldLogProbs#RECOMPUTE})
     * @param firstEpochCheck sees {@code ratio/mean} and {@code approx_kl} of the rollout's log-probs against the
     *                        policy's forward pass before the weights change: the first epoch's loss metrics (combined
     *                        over the chunks), or with {@code recomputeOld} the same statistics of the recomputed
     *                        log-probs against the rollout's
     */
    Map<String, Double> run(PackedBatch packed, int innerEpochs, boolean recomputeOld,
                            Consumer<Map<String, Double>> firstEpochCheck) {
        // the guard below (first run serial) is for SameDiff's lazy set-up; the model's own passes share no graph
        ExecutorService executor = executedOnce || direct != null ? pool : null;
        Map<String, Double> selection = new LinkedHashMap<>();
        if (lossConfig.entropyTopFraction() < 1) {
            SameDiff sd = policy.sameDiff();
            INDArray entropy = direct != null
                    ? forward(packed, plan(packed), null, (in, tgt) -> direct.perToken(in, tgt, policy.parameters(),
                            direct.loss().tokenEntropy()), executor)
                    : forward(packed, plan(packed), sd, (in, tgt) -> sd.output(policy.feed(in), loss.tokenEntropy())
                            .get(loss.tokenEntropy()).dup(), executor);
            packed = LossTokenSelection.topEntropy(packed, entropy, lossConfig.entropyTopFraction(), selection);
        }
        List<UpdateChunks.Chunk> chunks = plan(packed);
        Map<String, Double> recomputed = new LinkedHashMap<>();
        // with the model's own pass, the first epoch recomputes the old log-probs from its own forward (no extra pass)
        boolean fuseRecompute = recomputeOld && direct != null;
        if (recomputeOld && !fuseRecompute) {
            long r0 = System.nanoTime();
            SameDiff sd = policy.sameDiff();
            INDArray fresh = forward(packed, chunks, sd, (in, tgt) -> {
                Map<String, INDArray> feed = new LinkedHashMap<>(policy.feed(in));
                feed.put(loss.targets(), tgt);
                return sd.output(feed, loss.tokenLogProbs()).get(loss.tokenLogProbs()).dup();
            }, executor);
            RolloutDrift drift = RolloutDrift.of(packed, fresh);
            packed = drift.packed();
            recomputed.put("rollout/logprob_diff_max", drift.diffMax());
            recomputed.put("rollout/logprob_diff_mean", drift.diffMean());
            recomputed.put("time/old_logprobs_ms", (System.nanoTime() - r0) / 1e6);
            firstEpochCheck.accept(Map.of("ratio/mean", drift.ratioMean(), "approx_kl", drift.approxKl()));
        }
        boolean checkInLoss = !recomputeOld;
        long t0 = System.nanoTime();
        Map<String, INDArray> refWeights = reference == null || direct == null ? null
                : reference.parameters(policy.trainableVariables());
        INDArray ref = reference == null ? null : direct != null
                ? forward(packed, chunks, null, (in, tgt) -> direct.tokenLogProbs(in, tgt, refWeights), executor)
                : forward(packed, chunks, reference.sameDiff(), (in, tgt) -> reference.tokenLogProbs(policy.feed(in), tgt).dup(),
                        executor);
        long t1 = System.nanoTime();
        LossGraph lg = direct != null ? direct.loss() : loss;
        List<Map<String, INDArray>> feeds = feeds(packed, chunks, ref, lg);
        double[] weights = new double[chunks.size()];
        for (int c = 0; c < chunks.size(); c++) {
            weights[c] = chunks.get(c).lossWeight();
        }
        Map<String, String> names = new LinkedHashMap<>();
        names.put("loss", lg.loss());
        lg.refKl().ifPresent(n -> names.put("kl", n));
        names.put("approx_kl", lg.approxKl());
        names.put("clip_frac/low", lg.clipFracLow());
        names.put("clip_frac/high", lg.clipFracHigh());
        names.put("ratio/mean", lg.ratioMean());
        names.put("entropy", lg.entropy());
        List<Map<String, Double>> epochs = new ArrayList<>();
        long fwdBwd = 0;
        long optim = 0;
        PackedBatch[] recomputedBatch = {null};
        for (int e = 0; e < innerEpochs; e++) {
            boolean first = e == 0;
            boolean fuse = first && fuseRecompute;
            INDArray[] fresh = new INDArray[chunks.size()];
            PackedBatch epochBatch = packed;
            java.util.function.Consumer<List<Map<String, Double>>> beforeStep = outs -> {
                if (fuse) {
                    // the recomputed old log-probs of every chunk, before the weights change: drift metrics and the check
                    long r0 = System.nanoTime();
                    RolloutDrift drift = RolloutDrift.of(epochBatch,
                            fresh.length == 1 ? fresh[0] : Nd4j.concat(0, fresh));
                    recomputedBatch[0] = drift.packed();
                    recomputed.put("rollout/logprob_diff_max", drift.diffMax());
                    recomputed.put("rollout/logprob_diff_mean", drift.diffMean());
                    recomputed.put("time/old_logprobs_ms", (System.nanoTime() - r0) / 1e6);
                    firstEpochCheck.accept(Map.of("ratio/mean", drift.ratioMean(), "approx_kl", drift.approxKl()));
                } else if (first && checkInLoss) {
                    firstEpochCheck.accept(combine(names, chunks, outs));
                }
            };
            GraphUpdater.ChunkedResult r = direct != null
                    ? updater.update(directTasks(packed, chunks, feeds, weights, new ArrayList<>(names.values()),
                            fuse ? fresh : null), executor, beforeStep)
                    : updater.update(feeds, weights, new ArrayList<>(names.values()), executor, beforeStep);
            if (fuse && innerEpochs > 1) {
                packed = recomputedBatch[0];   // later epochs: the recomputed old log-probs, as the separate pass gives
                feeds = feeds(packed, chunks, ref, lg);
            }
            Map<String, Double> m = combine(names, chunks, r.outputs());
            m.put("grad_norm", r.gradNorm());
            epochs.add(m);
            if (direct == null && e + 1 < innerEpochs && chunks.size() > 1
                    && !ChunkTasks.collectAfterEachTask(executor, chunks.size())) {
                System.gc();                   // the epoch's chunks ran at once; the trainer collects after the last
            }
            fwdBwd += r.forwardBackwardNanos();
            optim += r.optimizerNanos();
        }
        executedOnce = true;
        Map<String, Double> out = StepMetrics.mean(epochs);
        out.putAll(selection);
        out.putAll(recomputed);
        out.put("time/reference_ms", (t1 - t0) / 1e6);
        out.put("time/forward_backward_ms", fwdBwd / 1e6);
        out.put("time/optimizer_ms", optim / 1e6);
        out.put("update_tokens", (double) packed.input().tokens().length());
        out.put("update_chunks", (double) chunks.size());
        return out;
    }

    /** Chunk outputs to metrics: the loss weighted like the gradient, the token means by loss-token share. */
    private static Map<String, Double> combine(Map<String, String> names, List<UpdateChunks.Chunk> chunks,
                                               List<Map<String, Double>> outputs) {
        Map<String, Double> m = new LinkedHashMap<>();
        names.forEach((metric, var) -> {
            double v = 0;
            for (int c = 0; c < chunks.size(); c++) {
                UpdateChunks.Chunk ch = chunks.get(c);
                v += (metric.equals("loss") ? ch.lossWeight() : ch.tokenWeight()) * outputs.get(c).get(var);
            }
            m.put(metric, v);
        });
        return m;
    }

    private List<UpdateChunks.Chunk> plan(PackedBatch packed) {
        // at most chunkTokens per chunk, and no more rows than a fair share of the threads (our choice: a batch that fits
        // in one chunk per thread is split evenly instead of into one full chunk and a remainder, which left one core idle
        // for part of the update)
        int rows = packed.input().batchSize();
        int maxRows = Math.max(1, chunkTokens / packed.input().length());
        if (threads > 1) {
            maxRows = Math.min(maxRows, Math.max(1, (rows + threads - 1) / threads));
        }
        return UpdateChunks.plan(packed.rowPrompt(), rowSums(packed.thoughtMask()), rowSums(packed.answerMask()),
                sequences(packed.thoughtMask(), packed), sequences(packed.answerMask(), packed),
                lossConfig.aggregation(), lossConfig, maxRows);
    }

    /** The loss placeholders of every chunk (and the policy's own, for the graph path). */
    private List<Map<String, INDArray>> feeds(PackedBatch packed, List<UpdateChunks.Chunk> chunks, INDArray ref,
                                              LossGraph lg) {
        List<Map<String, INDArray>> feeds = new ArrayList<>();
        for (UpdateChunks.Chunk ch : chunks) {
            Map<String, INDArray> feed = new LinkedHashMap<>(lg.feed(rows(packed.targets(), ch), rows(packed.thoughtMask(), ch),
                    rows(packed.answerMask(), ch), rows(packed.advantages(), ch), rows(packed.oldLogProbs(), ch),
                    ref == null ? null : rows(ref, ch), rows(packed.sequenceWeights(), ch)));
            if (direct == null) {
                feed.putAll(policy.feed(input(packed, ch)));
            }
            feeds.add(feed);
        }
        return feeds;
    }

    /**
     * The model's own forward + backward pass on every chunk ({@link ModelBackprop}), weighted gradients and outputs.
     *
     * @param fresh null, or one slot per chunk: the old log-probs are then recomputed from each chunk's own forward
     *              ({@link OldLogProbs#RECOMPUTE} without a separate pass), stored there, and fed to the loss masked to
     *              the loss tokens as {@link RolloutDrift} replaces them (bit for bit what the separate pass gives)
     */
    private List<Callable<GraphUpdater.Chunk>> directTasks(PackedBatch packed, List<UpdateChunks.Chunk> chunks,
                                                         List<Map<String, INDArray>> feeds, double[] weights,
                                                         List<String> outputs, INDArray[] fresh) {
        Map<String, INDArray> params = policy.parameters();
        List<Callable<GraphUpdater.Chunk>> tasks = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            UpdateChunks.Chunk ch = chunks.get(c);
            PolicyInput in = input(packed, ch);
            Map<String, INDArray> feed = feeds.get(c);
            double w = weights[c];
            int slot = c;
            java.util.function.UnaryOperator<INDArray> old = fresh == null ? null : logProbs -> {
                fresh[slot] = logProbs;
                return RolloutDrift.onLossTokens(logProbs, rows(packed.thoughtMask(), ch), rows(packed.answerMask(), ch))
                        .castTo(packed.oldLogProbs().dataType());
            };
            // no collection between chunks: the pass's arrays live in a reused workspace (what is left to the GC, the
            // loss graph's arrays and the detached logits and gradients, is small); the trainer collects after the step
            tasks.add(() -> direct.gradient(in, params, feed, outputs, w, old));
        }
        return tasks;
    }

    /**
     * A forward pass over the chunks (on {@code executor}, or serially when null), rows concatenated: {@code [R,T]}.
     *
     * @param sd   the graph the pass executes, whose sessions are released afterwards, or null (a model's own pass)
     * @param pass (the chunk's rows, their targets) to a detached {@code [rows,T]} array
     */
    private INDArray forward(PackedBatch packed, List<UpdateChunks.Chunk> chunks, SameDiff sd,
                             BiFunction<PolicyInput, INDArray, INDArray> pass, ExecutorService executor) {
        List<Callable<INDArray>> tasks = new ArrayList<>();
        boolean collectEach = sd != null && ChunkTasks.collectAfterEachTask(executor, chunks.size());
        for (UpdateChunks.Chunk ch : chunks) {
            PolicyInput in = input(packed, ch);
            INDArray tgt = rows(packed.targets(), ch);
            tasks.add(() -> {
                INDArray out = pass.apply(in, tgt);
                if (chunks.size() > 1) {
                    SameDiffMemory.releaseThisThread(sd);
                    if (collectEach) {
                        System.gc();
                    }
                }
                return out;
            });
        }
        List<INDArray> parts;
        try {
            parts = ChunkTasks.run(executor, tasks, "a forward pass");
        } finally {
            SameDiffMemory.release(sd);
        }
        if (sd != null && chunks.size() > 1 && !collectEach) {
            System.gc();                       // the chunks ran at once: one collection frees all their arrays
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    private static INDArray rows(INDArray a, UpdateChunks.Chunk ch) {
        return ch.start() == 0 && ch.end() == a.size(0) ? a : a.get(interval(ch.start(), ch.end()), all()).dup();
    }

    private static PolicyInput input(PackedBatch packed, UpdateChunks.Chunk ch) {
        PolicyInput in = packed.input();
        if (ch.start() == 0 && ch.end() == in.batchSize()) {
            return in;
        }
        int[] idx = new int[ch.rows()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = ch.start() + i;
        }
        return in.rows(idx);
    }

    private static double[] rowSums(INDArray mask) {
        return mask.sum(1).toDoubleVector();
    }

    /** Sequences of a mask in every row: {@code round(sum_t mask w)} (the weights of a sequence sum to 1). */
    private static double[] sequences(INDArray mask, PackedBatch packed) {
        double[] out = rowSums(mask.mul(packed.sequenceWeights()));
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.rint(out[i]);
        }
        return out;
    }

    @Override
    public void close() {
        ChunkTasks.shutdownAndFreeWorkspaces(pool);
    }
}
