package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.listener.Listeners;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Reports the plain DL4J SFT fit of an lstm run to the library's listeners as {@code sft} step events with
 * {@code sft/loss}: the mean cross-entropy per target token (nats), as core's {@code SftTrainer} reports it. DL4J's
 * {@code score()} is the summed masked cross-entropy divided by the minibatch size, so the bridge multiplies it by
 * the rows and divides by the batch's target tokens.
 */
final class SftListenerBridge extends BaseTrainingListener {
    private final SftTraceBatches batches;
    private final int rows;
    private final long totalSteps;
    private final Listeners listeners;
    private final long start = System.currentTimeMillis();
    private long step;
    private double lastLoss = Double.NaN;

    /** @param done SFT steps done before (a resumed run's); the next update is step {@code done + 1} */
    SftListenerBridge(SftTraceBatches batches, int rows, long done, long totalSteps, List<? extends TrainingListener> listeners) {
        this.batches = batches;
        this.step = done;
        this.rows = rows;
        this.totalSteps = totalSteps;
        this.listeners = Listeners.of(listeners);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        step++;
        lastLoss = model.score() * rows / batches.lastTokens();
        listeners.onStep(new StepEvent(StepEvent.PHASE_SFT, step, Math.max(step, totalSteps),
                System.currentTimeMillis() - start, Map.of("sft/loss", lastLoss)));
    }

    /** {@code sft/loss} of the latest step; NaN before the first. */
    double lastLoss() {
        return lastLoss;
    }
}
