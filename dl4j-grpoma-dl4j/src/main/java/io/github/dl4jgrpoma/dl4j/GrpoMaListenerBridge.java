package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.listener.EndReason;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.Listeners;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingEndEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.listener.TrainingStartEvent;
import io.github.dl4jgrpoma.train.GradientSpikeTracker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J {@link org.deeplearning4j.optimize.api.TrainingListener} that reports each GRPO-MA update of
 * {@code net.fit(GrpoMaDataSetIterator, ...)} to the library's {@link TrainingListener}s (log line, CSV/JSONL
 * metrics, progress bar, NaN guard, early stopping ...), next to DL4J's own {@code ScoreIterationListener} and
 * {@code CheckpointListener}.
 *
 * <p>Each {@link StepEvent} (phase {@value StepEvent#PHASE_RL}, step = the iterator's {@link GrpoMaDataSetIterator#updates()})
 * carries the iterator's step metrics (rewards per reward name, {@code accuracy}, {@code zero_std_frac/*},
 * advantage statistics, lengths, {@code tokens_per_s}, {@code time/rollout_ms}, {@code time/reward_ms},
 * {@code time/pack_ms}) plus {@code loss} (the network's score: the GRPO loss of the batch, see
 * {@link GrpoMaSameDiffLoss}), {@code grad_norm} (L2 norm of the raw gradient, read in
 * {@code onGradientCalculation}), {@code grad_spike_score} (core's definition, GRPO-MA.md section 5; absent until
 * an earlier step had a nonzero norm) and {@code time/update_ms} (wall time since the previous update ended,
 * minus the sampling time). A listener answering STOP makes the iterator end the fit ({@link
 * GrpoMaDataSetIterator#requestStop()}). Call {@link #end()} after {@code fit} to close files (onEnd). The
 * spike-score history is not part of a DL4J checkpoint: after a resume it starts again.
 */
public final class GrpoMaListenerBridge extends BaseTrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(GrpoMaListenerBridge.class);

    private final GrpoMaDataSetIterator iterator;
    private final Listeners listeners;
    private final String runName;
    private final long totalUpdates;
    private final GradientSpikeTracker spikes = new GradientSpikeTracker();
    private long start = -1;
    private long lastDone = -1;
    private double gradNorm = Double.NaN;
    private Map<String, Double> last = Map.of();
    private ListenerResponse stop = ListenerResponse.CONTINUE;

    /**
     * @param iterator     the iterator the network is fitted on
     * @param runName      run name for the start event
     * @param totalUpdates planned updates (for progress bars), {@code >= 0}
     * @param listeners    the library listeners to report to
     */
    public GrpoMaListenerBridge(GrpoMaDataSetIterator iterator, String runName, long totalUpdates,
                                List<? extends TrainingListener> listeners) {
        this.iterator = iterator;
        this.runName = runName;
        this.totalUpdates = totalUpdates;
        this.listeners = Listeners.of(listeners);
    }

    @Override
    public void onEpochStart(Model model) {
        if (start < 0) {
            start = System.currentTimeMillis();
            Map<String, String> summary = new LinkedHashMap<>();
            summary.put("K", String.valueOf(iterator.config().rollout().thoughts()));
            summary.put("M", String.valueOf(iterator.config().rollout().answersPerThought()));
            summary.put("estimator", iterator.config().estimator());
            summary.put("prompts_per_step", String.valueOf(iterator.config().promptsPerStep()));
            summary.put("inner_epochs", String.valueOf(iterator.config().innerEpochs()));
            summary.put("seed", String.valueOf(iterator.config().seed()));
            summary.put("trainer", "dl4j-fit");
            listeners.onStart(new TrainingStartEvent(runName, totalUpdates, summary));
        }
    }

    @Override
    public void onGradientCalculation(Model model) {
        gradNorm = model.gradient().gradient().norm2Number().doubleValue();
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (start < 0) {
            onEpochStart(model);
        }
        long now = System.currentTimeMillis();
        Map<String, Double> metrics = new LinkedHashMap<>(iterator.lastMetrics());
        metrics.put("loss", model.score());
        if (!Double.isNaN(gradNorm)) {
            metrics.put("grad_norm", gradNorm);
            double spike = spikes.score(gradNorm);
            if (!Double.isNaN(spike)) {
                metrics.put("grad_spike_score", spike);
            }
        }
        if (lastDone >= 0) {
            double sampling = metrics.getOrDefault("time/rollout_ms", 0.0) + metrics.getOrDefault("time/reward_ms", 0.0)
                    + metrics.getOrDefault("time/pack_ms", 0.0);
            metrics.put("time/update_ms", Math.max(0, now - lastDone - sampling));
        }
        lastDone = now;
        gradNorm = Double.NaN;
        last = Map.copyOf(metrics);
        long step = iterator.updates();
        ListenerResponse r = listeners.onStep(new StepEvent(StepEvent.PHASE_RL, step, Math.max(step, totalUpdates),
                now - start, metrics));
        if (r.stop()) {
            LOG.info("update {}: a listener asked to stop ({}); the iterator ends the fit", step, r.reason());
            stop = r;
            iterator.requestStop();
        }
    }

    /** Metrics of the latest reported update. */
    public Map<String, Double> lastMetrics() {
        return last;
    }

    /** Sends onEnd (COMPLETED, or EARLY_STOPPED after a STOP) to the listeners; call once after {@code fit}. */
    public void end() {
        EndReason reason = stop.stop() ? EndReason.EARLY_STOPPED : EndReason.COMPLETED;
        listeners.onEnd(new TrainingEndEvent(reason, iterator.updates(), start < 0 ? 0 : System.currentTimeMillis() - start,
                last, stop.reason()));
    }
}
