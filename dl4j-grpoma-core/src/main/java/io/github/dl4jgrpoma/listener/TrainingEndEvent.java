package io.github.dl4jgrpoma.listener;

import java.util.Map;

/**
 * Sent exactly once when training ends.
 *
 * @param reason        completed, early-stopped or failed
 * @param steps         optimiser steps run in this process over all phases, {@code >= 0}
 * @param elapsedMillis wall-clock milliseconds of the run in this process, {@code >= 0}
 * @param finalMetrics  metrics of the last step (empty if none); ordered, unmodifiable copy
 * @param detail        the stop reason, the failure message, or empty
 */
public record TrainingEndEvent(EndReason reason, long steps, long elapsedMillis, Map<String, Double> finalMetrics,
                               String detail) {
    /** Validates and copies. */
    public TrainingEndEvent {
        if (reason == null) {
            throw new IllegalArgumentException("reason is null; fix: pass COMPLETED, EARLY_STOPPED or FAILED");
        }
        if (steps < 0 || elapsedMillis < 0) {
            throw new IllegalArgumentException("steps (" + steps + ") and elapsedMillis (" + elapsedMillis
                    + ") must be >= 0");
        }
        if (detail == null) {
            throw new IllegalArgumentException("detail is null; fix: pass \"\"");
        }
        finalMetrics = EventMaps.metrics(finalMetrics);
    }
}
