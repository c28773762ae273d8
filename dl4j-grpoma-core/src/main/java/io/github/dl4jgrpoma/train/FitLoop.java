package io.github.dl4jgrpoma.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.github.dl4jgrpoma.listener.EndReason;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.TrainingEndEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.listener.TrainingStartEvent;

/**
 * The {@code fit} loop shared by both trainers, following the listener contract of
 * {@link io.github.dl4jgrpoma.listener}: {@code onStart}; steps until the planned count (each step calls
 * {@code onStep} itself); a checkpoint every N steps and after the last one; STOP ends cleanly; an exception
 * gives {@code onEnd(FAILED)} and is rethrown; {@code onEnd} exactly once.
 */
final class FitLoop {

    /** One step as the loop sees it. */
    record Outcome(Map<String, Double> metrics, ListenerResponse response) {
    }

    /** The trainer side of the loop. */
    interface Stepper {
        long completedSteps();

        Outcome step();

        /** Writes a checkpoint of the completed steps; empty when the trainer has no checkpoint directory. */
        Optional<Path> checkpoint();
    }

    private FitLoop() {
    }

    static TrainingResult run(TrainingListener listeners, String runName, long totalSteps, Map<String, String> summary,
                              int checkpointEvery, Stepper stepper) {
        long start = System.currentTimeMillis();
        long run = 0;
        Map<String, Double> last = Map.of();
        Optional<Path> lastCheckpoint = Optional.empty();
        long lastCheckpointStep = -1;
        EndReason reason = EndReason.COMPLETED;
        String detail = "";
        listeners.onStart(new TrainingStartEvent(runName, totalSteps, summary));
        try {
            while (stepper.completedSteps() < totalSteps) {
                Outcome o = stepper.step();
                run++;
                last = o.metrics();
                if (checkpointEvery > 0 && stepper.completedSteps() % checkpointEvery == 0) {
                    Optional<Path> p = stepper.checkpoint();
                    if (p.isPresent()) {
                        lastCheckpoint = p;
                        lastCheckpointStep = stepper.completedSteps();
                    }
                }
                if (o.response().stop()) {
                    reason = EndReason.EARLY_STOPPED;
                    detail = o.response().reason();
                    break;
                }
            }
            if (checkpointEvery > 0 && run > 0 && lastCheckpointStep != stepper.completedSteps()) {
                Optional<Path> p = stepper.checkpoint();
                if (p.isPresent()) {
                    lastCheckpoint = p;
                }
            }
        } catch (RuntimeException | Error e) {
            listeners.onEnd(new TrainingEndEvent(EndReason.FAILED, run, System.currentTimeMillis() - start, last,
                    String.valueOf(e.getMessage())));
            throw e;
        }
        long elapsed = System.currentTimeMillis() - start;
        listeners.onEnd(new TrainingEndEvent(reason, run, elapsed, last, detail));
        return new TrainingResult(reason, stepper.completedSteps(), run, elapsed, last, lastCheckpoint, detail);
    }
}
