package io.github.dl4jgrpoma.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.github.dl4jgrpoma.listener.EndReason;

/**
 * The outcome of a {@code fit()} that returned normally (a failure is thrown instead).
 *
 * @param reason         COMPLETED or EARLY_STOPPED
 * @param completedSteps steps completed in total (after a resume, the restored ones included)
 * @param stepsRun       steps run by this call
 * @param elapsedMillis  wall-clock time of this call
 * @param finalMetrics   metrics of the last step (empty if none ran); unmodifiable
 * @param lastCheckpoint directory of the last checkpoint written by this call, if any
 * @param detail         the stop reason, or empty
 */
public record TrainingResult(EndReason reason, long completedSteps, long stepsRun, long elapsedMillis,
                             Map<String, Double> finalMetrics, Optional<Path> lastCheckpoint, String detail) {
    /** Copies the map. */
    public TrainingResult {
        finalMetrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(finalMetrics));
    }
}
