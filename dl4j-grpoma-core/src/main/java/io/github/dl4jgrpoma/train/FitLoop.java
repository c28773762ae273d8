package io.github.dl4jgrpoma.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.dl4jgrpoma.checkpoint.Checkpoint;

import io.github.dl4jgrpoma.listener.EndReason;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.TrainingEndEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.listener.TrainingStartEvent;

/**
 * The {@code fit} loop shared by both trainers, following the listener contract of
 * {@link io.github.dl4jgrpoma.listener}: {@code onStart}; steps until the planned count (each step calls
 * {@code onStep} itself); with a checkpoint writer, a checkpoint every N steps (N > 0) and after the last one; STOP ends cleanly; an exception
 * gives {@code onEnd(FAILED)} and is rethrown; {@code onEnd} exactly once.
 */
final class FitLoop {

    /** One step as the loop sees it. */
    record Outcome(Map<String, Double> metrics, ListenerResponse response) {
    }

    private FitLoop() {
    }

    /**
     * Runs the loop for a trainer given as three functions.
     *
     * @param completed the number of completed steps
     * @param step      runs one step (which calls {@code onStep} itself)
     * @param save      writes a checkpoint of the completed steps; {@code null} when the trainer has no
     *                  checkpoint directory
     */
    static TrainingResult run(TrainingListener listeners, String runName, long totalSteps, Map<String, String> summary,
                              int checkpointEvery, LongSupplier completed, Supplier<Outcome> step,
                              Supplier<Checkpoint> save) {
        long start = System.currentTimeMillis();
        long run = 0;
        Map<String, Double> last = Map.of();
        Optional<Path> lastCheckpoint = Optional.empty();
        long lastCheckpointStep = -1;
        EndReason reason = EndReason.COMPLETED;
        String detail = "";
        listeners.onStart(new TrainingStartEvent(runName, totalSteps, summary));
        try {
            while (completed.getAsLong() < totalSteps) {
                Outcome o = step.get();
                run++;
                last = o.metrics();
                if (checkpointEvery > 0 && completed.getAsLong() % checkpointEvery == 0) {
                    Optional<Path> p = checkpoint(save);
                    if (p.isPresent()) {
                        lastCheckpoint = p;
                        lastCheckpointStep = completed.getAsLong();
                    }
                }
                if (o.response().stop()) {
                    reason = EndReason.EARLY_STOPPED;
                    detail = o.response().reason();
                    break;
                }
            }
            if (run > 0 && lastCheckpointStep != completed.getAsLong()) {
                Optional<Path> p = checkpoint(save);
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
        return new TrainingResult(reason, completed.getAsLong(), run, elapsed, last, lastCheckpoint, detail);
    }

    private static Optional<Path> checkpoint(Supplier<Checkpoint> save) {
        return save == null ? Optional.empty() : Optional.of(save.get().directory());
    }
}
