package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.algo.AdvantageEstimator;
import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.data.Seeds;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.BatchRewardScorer;
import io.github.dl4jgrpoma.reward.RewardScorer;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.train.BatchPacker;
import io.github.dl4jgrpoma.train.GroupAdvantages;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.RewardStage;
import io.github.dl4jgrpoma.train.StepMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A {@link DataSetIterator} of GRPO-MA batches, so that {@code net.fit(iterator, epochs)} is GRPO-MA training of a
 * recurrent {@link MultiLayerNetwork} whose output layer uses {@link GrpoMaSameDiffLoss}.
 *
 * <p>Each RL step (GRPO-MA.md section 3), inside {@link #next()}: draw {@code promptsPerStep} prompts (generator
 * seeded from {@code (seed, step, 1)}), sample K thoughts and K x M answers from the <em>live</em> network with
 * {@link RecurrentNetworkDecoder} and core's {@link RolloutEngine} (seed {@code (seed, step, 2)}), score them with
 * the {@link CompositeReward}, compute advantages with the configured estimator of the {@code algo} registry, pack
 * them with core's {@link BatchPacker} (each thought once) and return the {@link GrpoMaLabels} data set. With
 * {@code innerEpochs = n} the same batch is returned n times in a row (PPO-style updates on one rollout; the old
 * log-probs travel in the labels, so the clip takes effect from the second update).
 *
 * <p>Position: {@link #updates()} counts batches handed out; the RL step is {@code updates / innerEpochs}. A run
 * resumed from a DL4J checkpoint continues exactly with {@link #resumeAt(long)} given the updates this iterator's run
 * had done (the restored network's {@code getIterationCount()} only if nothing else, such as SFT on the same network,
 * trained it): everything a step samples is a function of the seed, the step and the weights.
 *
 * <p>Epochs: {@code hasNext()} is true for {@code stepsPerEpoch x innerEpochs} batches after each
 * {@link #reset()}; {@code net.fit(iterator, e)} thus runs {@code e x stepsPerEpoch} RL steps. Used from
 * {@link GrpoMaConfig}: rollout, estimator, advantage, loss (beta must be 0; built-in aggregations), promptsPerStep,
 * innerEpochs, dynamicSampling, rewardErrorPolicy, packing, seed, successThreshold, accuracyReward. Not used: the
 * optimizer (the network's own updater trains), steps, checkpointEvery and keepCheckpoints (use DL4J's
 * {@code CheckpointListener}). Asynchronous prefetch is not supported (a batch must be sampled from the weights
 * of the latest update), so DL4J does not wrap this iterator in its prefetching iterator.
 */
public final class GrpoMaDataSetIterator implements DataSetIterator {
    private final PromptSource prompts;
    private final GrpoMaConfig config;
    private final AdvantageEstimator estimator;
    private final PackingMode packing;
    private final RolloutEngine engine;
    private final RewardStage rewards;
    private final BatchPacker packer;
    private final int vocabSize;
    private final int stepsPerEpoch;
    private final DataType dataType;
    private DataSetPreProcessor preProcessor;
    private long updates;
    private int inEpoch;
    private DataSet current;
    private Map<String, Double> lastMetrics = Map.of();
    private boolean stopRequested;

    /**
     * @param net           the live network (recurrent, RnnOutputLayer with {@code V} outputs, see
     *                      {@link RecurrentNetworkDecoder})
     * @param tokenizer     the tokenizer of prompts, thoughts and answers ({@code V = vocabSize()})
     * @param prompts       where each step's prompts come from
     * @param reward        the rewards of an answer
     * @param config        RL settings (see the class documentation for the fields used)
     * @param maxLength     T: longest sequence of a rollout row (prompt + thought + end-of-thought + answer)
     * @param stepsPerEpoch RL steps per DL4J epoch, {@code >= 1}
     * @throws IllegalArgumentException for a network that is not a recurrent token policy of the tokenizer's
     *                                  vocabulary, an unknown estimator, beta &gt; 0, a non built-in aggregation,
     *                                  or {@code stepsPerEpoch < 1}
     */
    public GrpoMaDataSetIterator(MultiLayerNetwork net, Tokenizer tokenizer, PromptSource prompts, CompositeReward reward,
                                 GrpoMaConfig config, int maxLength, int stepsPerEpoch) {
        this(new RecurrentNetworkDecoder(net, tokenizer.vocabSize(), maxLength), net.params().dataType(), tokenizer, prompts,
                reward, config, maxLength, stepsPerEpoch);
    }

    /**
     * The same for a {@link ComputationGraph} with one input (one-hot tokens {@code [B, V, T]}) and one
     * {@code RnnOutputLayer} output using {@link GrpoMaSameDiffLoss}; {@code graph.fit(iterator, epochs)} trains it
     * (DL4J turns each {@link DataSet} into a single-input {@code MultiDataSet}). For a
     * {@code MultiDataSetIterator}, wrap this in {@link GrpoMaMultiDataSetIterator}.
     *
     * @throws IllegalArgumentException as the {@link MultiLayerNetwork} constructor, for a graph with more than
     *                                  one input or output, or one built without {@code setInputTypes(...)}
     */
    public GrpoMaDataSetIterator(ComputationGraph graph, Tokenizer tokenizer, PromptSource prompts, CompositeReward reward,
                                 GrpoMaConfig config, int maxLength, int stepsPerEpoch) {
        this(new RecurrentNetworkDecoder(requireInputTypes(graph), tokenizer.vocabSize(), maxLength),
                graph.params().dataType(), tokenizer, prompts, reward, config, maxLength, stepsPerEpoch);
    }

    /**
     * A graph built without input types leaves its output layer's sequence format unset in M2.1 and fails in
     * {@code fit} with "Sequence lengths do not match for RnnOutputLayer input and labels" (rollouts alone work).
     */
    private static ComputationGraph requireInputTypes(ComputationGraph graph) {
        String out = graph.getConfiguration().getNetworkOutputs().get(0);
        Object layer = graph.getLayer(out).conf().getLayer();
        if (layer instanceof org.deeplearning4j.nn.conf.layers.RnnOutputLayer rnn && rnn.getRnnDataFormat() == null) {
            throw new IllegalArgumentException("the ComputationGraph was built without input types, so DL4J cannot train"
                    + " its RnnOutputLayer on [R, V, T] rows; fix: add .setInputTypes(InputType.recurrent(V)) to its"
                    + " graphBuilder() (V = the tokenizer's vocabulary size)");
        }
        return graph;
    }

    private GrpoMaDataSetIterator(RecurrentNetworkDecoder decoder, DataType dataType, Tokenizer tokenizer, PromptSource prompts,
                                  CompositeReward reward, GrpoMaConfig config, int maxLength, int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch = " + stepsPerEpoch + "; use at least 1 RL step per epoch");
        }
        this.vocabSize = tokenizer.vocabSize();
        GrpoMaSameDiffLoss.of(config.loss());
        TokenWeights.of(new double[0][0], new double[0][0], config.loss());       // rejects unknown aggregations now
        AdvantageEstimators registry = AdvantageEstimators.defaults();
        config.requireEstimatorIn(registry);
        this.estimator = registry.get(config.estimator());
        this.packing = config.packing().resolve(estimator);
        if (packing == PackingMode.COUPLED && config.rollout().answersPerThought() > 1) {
            throw new IllegalArgumentException("GrpoMaConfig.estimator = " + estimator.name() + " packs one advantage per"
                    + " response and needs M = 1, got M = " + config.rollout().answersPerThought() + "; use grpo-ma for M > 1");
        }
        this.prompts = prompts;
        this.config = config;
        this.engine = new RolloutEngine(decoder, config.rollout());
        this.rewards = new RewardStage(tokenizer, BatchRewardScorer.serial(new RewardScorer(reward, config.rewardErrorPolicy())));
        this.dataType = dataType;
        this.packer = new BatchPacker(maxLength, dataType, tokenizer.pad());
        this.stepsPerEpoch = stepsPerEpoch;
    }

    /** Batches handed out so far (DL4J updates: RL steps x innerEpochs). */
    public long updates() {
        return updates;
    }

    /** RL steps whose rollouts were sampled so far. */
    public long step() {
        return (updates + config.innerEpochs() - 1) / config.innerEpochs();
    }

    /**
     * Continues a run after {@code completedUpdates} batches: the GRPO-MA updates done before the checkpoint (a restored
     * network's {@code getIterationCount()} only when nothing else trained it; after SFT on the same network subtract
     * the SFT iterations, or keep the count yourself).
     *
     * @throws IllegalArgumentException for a negative count or one that is not a whole number of RL steps
     */
    public void resumeAt(long completedUpdates) {
        if (completedUpdates < 0 || completedUpdates % config.innerEpochs() != 0) {
            throw new IllegalArgumentException("resumeAt(" + completedUpdates + "): give the restored network's iteration count,"
                    + " a non-negative multiple of innerEpochs = " + config.innerEpochs());
        }
        updates = completedUpdates;
        current = null;
    }

    /** Metrics of the latest sampled step: rewards, accuracy, zero-std fractions, advantages, lengths, timings. */
    public Map<String, Double> lastMetrics() {
        return lastMetrics;
    }

    /** The settings of this iterator. */
    public GrpoMaConfig config() {
        return config;
    }

    /** Makes {@link #hasNext()} false from now on, in this and later epochs (a listener asked to stop). */
    public void requestStop() {
        stopRequested = true;
    }

    /** True after {@link #requestStop()}. */
    public boolean stopRequested() {
        return stopRequested;
    }

    @Override
    public boolean hasNext() {
        return !stopRequested && inEpoch < stepsPerEpoch * config.innerEpochs();
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished after " + stepsPerEpoch + " RL steps; call reset()");
        }
        if (current == null || updates % config.innerEpochs() == 0) {
            current = sample(updates / config.innerEpochs());
        }
        updates++;
        inEpoch++;
        DataSet out = current.copy();
        if (preProcessor != null) {
            preProcessor.preProcess(out);
        }
        return out;
    }

    /** One RL step: prompts, rollouts, rewards, advantages, packed data set. */
    private DataSet sample(long step) {
        List<Prompt> batchPrompts = prompts.sample(config.promptsPerStep(), new SplittableRandom(Seeds.mix(config.seed(), step, 1)));
        if (batchPrompts == null || batchPrompts.size() != config.promptsPerStep()) {
            throw new IllegalStateException("PromptSource returned " + (batchPrompts == null ? "null" : batchPrompts.size())
                    + " prompts for " + config.promptsPerStep() + " requested; it must return exactly count prompts");
        }
        long t0 = System.nanoTime();
        RolloutBatch batch = engine.rollout(batchPrompts, Seeds.mix(config.seed(), step, 2));
        long t1 = System.nanoTime();
        List<RewardScores> scores = rewards.score(batchPrompts, batch);
        long t2 = System.nanoTime();
        GroupAdvantages estimated = GroupAdvantages.estimate(scores, estimator, config.advantage(), config.dynamicSampling());
        boolean[] keep = estimated.keep();
        if (estimated.allDropped()) {
            java.util.Arrays.fill(keep, true);        // every advantage is 0: a zero-gradient batch instead of none
        }
        DataSet ds = GrpoMaLabels.toDataSet(packer.pack(batch, estimated.advantages(), keep, packing), vocabSize,
                config.loss(), dataType);
        long t3 = System.nanoTime();
        Map<String, Double> metrics = new LinkedHashMap<>();
        StepMetrics.rewards(metrics, scores, config.successThreshold(), config.accuracyReward());
        StepMetrics.advantages(metrics, estimated.advantages());
        metrics.put("prompts_dropped", (double) estimated.dropped());
        StepMetrics.lengths(metrics, batch);
        metrics.put("tokens_per_s", batch.sampledTokens() / Math.max(1e-9, (t1 - t0) / 1e9));
        metrics.put("time/rollout_ms", (t1 - t0) / 1e6);
        metrics.put("time/reward_ms", (t2 - t1) / 1e6);
        metrics.put("time/pack_ms", (t3 - t2) / 1e6);
        lastMetrics = Map.copyOf(metrics);
        return ds;
    }


    @Override
    public DataSet next(int num) {
        return next();
    }

    @Override
    public int inputColumns() {
        return vocabSize;
    }

    @Override
    public int totalOutcomes() {
        return vocabSize;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Starts a new epoch; the RL step counter continues and a stop request stays in force. */
    @Override
    public void reset() {
        inEpoch = 0;
    }

    @Override
    public int batch() {
        return config.promptsPerStep() * config.rollout().thoughts() * config.rollout().answersPerThought();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
