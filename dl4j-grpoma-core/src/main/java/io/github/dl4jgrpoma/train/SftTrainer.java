package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.loss.SftLoss;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.checkpoint.Checkpoint;
import io.github.dl4jgrpoma.checkpoint.CheckpointStore;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.Listeners;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * Supervised next-token training (SFT warm-up) of a {@link PolicyModel} on demonstrations, with the loss on
 * the completion tokens only ({@link SftLoss}): per step, {@code batchSize} examples drawn uniformly with
 * replacement by a generator seeded from {@code (seed, step)}, packed as rows {@code prompt + completion}
 * (input {@code s[0..T-1]} right-padded with the tokenizer's pad id, target {@code s[t+1]}, mask 1 where the target is a
 * completion token; the policy input carries each example's conditioning), one forward + backward pass and one Adam step (same update code and checkpoint format as
 * {@link GrpoMaTrainer}; phase {@value StepEvent#PHASE_SFT}). Listeners receive {@code sft/loss},
 * {@code sft/token_acc}, {@code sft/tokens} (completion tokens in the batch), {@code grad_norm} and
 * {@code time/update_ms}.
 *
 * <p>The loss is attached to the raw logits (temperature 1). A later {@link GrpoMaTrainer} on the same policy
 * attaches its own loss; each trainer selects its loss with {@code sd.setLossVariables} before it updates,
 * since SameDiff would otherwise minimise the sum of both.
 */
public final class SftTrainer {
    /** Phase name in step events and checkpoints. */
    public static final String PHASE = StepEvent.PHASE_SFT;
    private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

    private final PolicyModel policy;
    private final int padId;
    private final List<SftExample> examples;
    private final SftConfig config;
    private final Listeners listeners;
    private final CheckpointStore store;
    private final SftLoss loss;
    private final GraphUpdater updater;
    private final String fingerprint;
    private long completed;
    private long phaseStart = -1;

    /**
     * @param policy              the model (its graph gets the SFT loss attached)
     * @param tokenizer           the policy's tokenizer (its pad id fills positions beyond a sequence)
     * @param examples            demonstrations, each at most {@code T + 1} tokens with ids in the vocabulary
     * @param config              settings
     * @param listeners           training listeners (may be empty)
     * @param checkpointDirectory checkpoint directory, or null for none
     */
    public SftTrainer(PolicyModel policy, Tokenizer tokenizer, List<SftExample> examples, SftConfig config,
                      List<? extends TrainingListener> listeners, Path checkpointDirectory) {
        if (policy == null || tokenizer == null || config == null || listeners == null) {
            throw new IllegalArgumentException("SftTrainer: policy, tokenizer, config and listeners are required");
        }
        if (tokenizer.vocabSize() != policy.vocabSize()) {
            throw new IllegalArgumentException("SftTrainer: the tokenizer has " + tokenizer.vocabSize() + " ids but the policy scores "
                    + policy.vocabSize() + "; build the policy with vocabSize = tokenizer.vocabSize()");
        }
        if (examples == null || examples.isEmpty()) {
            throw new IllegalArgumentException("SftTrainer.examples is empty; pass at least one demonstration");
        }
        for (int i = 0; i < examples.size(); i++) {
            SftExample e = examples.get(i);
            if (e.length() > policy.maxLength() + 1) {
                throw new IllegalArgumentException("SftTrainer.examples[" + i + "] has " + e.length()
                        + " tokens, more than the policy's maxLength + 1 = " + (policy.maxLength() + 1)
                        + "; shorten it or build the policy with a longer maxLength");
            }
            for (int[] part : new int[][] {e.prompt(), e.completion()}) {
                for (int id : part) {
                    if (id < 0 || id >= policy.vocabSize()) {
                        throw new IllegalArgumentException("SftTrainer.examples[" + i + "] holds id " + id
                                + ", outside the vocabulary [0, " + policy.vocabSize() + ")");
                    }
                }
            }
        }
        this.policy = policy;
        this.padId = tokenizer.pad();
        this.examples = List.copyOf(examples);
        this.config = config;
        this.listeners = Listeners.of(listeners);
        this.store = checkpointDirectory == null ? null : new CheckpointStore(checkpointDirectory, config.keepCheckpoints());
        String prefix = SftLoss.DEFAULT_PREFIX;
        for (int i = 2; policy.sameDiff().hasVariable(prefix + "loss"); i++) {
            prefix = "sft" + i + "_";
        }
        this.loss = SftLoss.attach(policy.sameDiff(), policy.sameDiff().getVariable(policy.logitsName()),
                policy.vocabSize(), prefix);
        UnsafeOps.requireNone(policy.sameDiff(), "policy + SFT loss");
        this.updater = new GraphUpdater(policy, loss.loss(), config.optimizer());
        this.fingerprint = TrainingCheckpoints.fingerprint(config, SftConfig.NOT_FINGERPRINTED, policy);
    }

    /** The names of the loss placeholders and outputs. */
    public SftLoss loss() {
        return loss;
    }

    /** Steps completed so far (restored ones included). */
    public long completedSteps() {
        return completed;
    }

    /** One supervised step on a freshly drawn batch, reported to the listeners. */
    public SftStepResult step() {
        if (phaseStart < 0) {
            phaseStart = System.currentTimeMillis();
        }
        SplittableRandom rng = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + completed * 0xBF58476D1CE4E5B9L);
        SftExample[] batch = new SftExample[config.batchSize()];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = examples.get(rng.nextInt(examples.size()));
        }
        long t0 = System.nanoTime();
        Map<String, INDArray> feed = feed(List.of(batch));
        GraphUpdater.Result r = updater.update(feed, List.of(loss.loss(), loss.tokenAccuracy()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("sft/loss", r.outputs().get(loss.loss()).getDouble(0));
        metrics.put("sft/token_acc", r.outputs().get(loss.tokenAccuracy()).getDouble(0));
        metrics.put("sft/tokens", feed.get(loss.mask()).sumNumber().doubleValue());
        metrics.put("grad_norm", r.gradNorm());
        metrics.put("time/update_ms", (System.nanoTime() - t0) / 1e6);
        completed++;
        ListenerResponse response = listeners.onStep(new StepEvent(PHASE, completed, Math.max(completed, config.steps()),
                System.currentTimeMillis() - phaseStart, metrics));
        System.gc();
        return new SftStepResult(completed, metrics, response);
    }

    /** Runs until {@link SftConfig#steps()} steps are completed, honouring STOP, with checkpoints. */
    public TrainingResult fit() {
        Map<String, String> summary = new LinkedHashMap<>();
        summary.put("phase", PHASE);
        summary.put("examples", Integer.toString(examples.size()));
        summary.put("batchSize", Integer.toString(config.batchSize()));
        summary.put("startStep", Long.toString(completed));
        return FitLoop.run(listeners, "sft", config.steps(), summary, config.checkpointEvery(),
                () -> completed, () -> {
                    SftStepResult r = step();
                    return new FitLoop.Outcome(r.metrics(), r.response());
                }, store == null ? null : this::saveCheckpoint);
    }

    /** Writes a checkpoint of the completed steps (same format as the GRPO-MA trainer, phase "sft"). */
    public Checkpoint saveCheckpoint() {
        CheckpointStore s = TrainingCheckpoints.requireStore(store, "pass one to the constructor");
        Properties state = TrainingCheckpoints.state(PHASE, completed);
        return s.save(completed, fingerprint, dir -> TrainingCheckpoints.write(dir, config, policy, updater.optimizer(), state,
                null));
    }

    /** Restores the newest valid checkpoint; empty when there is none (see {@link GrpoMaTrainer#restoreLatest()}). */
    public OptionalLong restoreLatest() {
        Optional<Checkpoint> latest = TrainingCheckpoints.latest(
                TrainingCheckpoints.requireStore(store, "pass one to the constructor"));
        if (latest.isEmpty()) {
            return OptionalLong.empty();
        }
        Checkpoint c = latest.get();
        Properties state = TrainingCheckpoints.restore(c, fingerprint, config, SftConfig.of(config.steps()), SftConfig.NOT_FINGERPRINTED, PHASE, policy, updater.optimizer());
        completed = Long.parseLong(TrainingCheckpoints.require(state, "step", c));
        LOG.info("restored SFT checkpoint {} (step {})", c.directory(), completed);
        return OptionalLong.of(completed);
    }

    /** The placeholder values of a batch: tokens, targets and the completion mask. */
    Map<String, INDArray> feed(List<SftExample> batch) {
        int t = policy.maxLength();
        int[][] tokens = new int[batch.size()][t];
        int[][] targets = new int[batch.size()][t];
        double[][] mask = new double[batch.size()][t];
        for (int r = 0; r < batch.size(); r++) {
            SftExample e = batch.get(r);
            java.util.Arrays.fill(tokens[r], padId);
            java.util.Arrays.fill(targets[r], padId);
            int p = e.prompt().length;
            int[] seq = new int[e.length()];
            System.arraycopy(e.prompt(), 0, seq, 0, p);
            System.arraycopy(e.completion(), 0, seq, p, seq.length - p);
            for (int i = 0; i < Math.min(seq.length, t); i++) {
                tokens[r][i] = seq[i];
            }
            for (int i = 0; i + 1 < seq.length; i++) {
                targets[r][i] = seq[i + 1];
                mask[r][i] = i + 1 >= p ? 1 : 0;
            }
        }
        Map<String, INDArray> feed = new java.util.HashMap<>(policy.feed(PolicyInput.of(
                Nd4j.createFromArray(tokens).castTo(DataType.INT32),
                Conditioning.stack(batch.stream().map(SftExample::conditioning).toList()))));
        feed.put(loss.targets(), Nd4j.createFromArray(targets).castTo(DataType.INT32));
        feed.put(loss.mask(), Nd4j.createFromArray(mask).castTo(policy.dataType()));
        return feed;
    }
}
