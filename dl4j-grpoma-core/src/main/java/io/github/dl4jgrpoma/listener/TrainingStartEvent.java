package io.github.dl4jgrpoma.listener;

import java.util.Map;

/**
 * Sent once before the first step.
 *
 * @param runName    name of the run (letters, digits, {@code _ . -})
 * @param totalSteps planned optimiser steps over all phases, {@code >= 0}
 * @param config     configuration summary, e.g. {@code "K" -> "4"}; ordered, unmodifiable copy
 */
public record TrainingStartEvent(String runName, long totalSteps, Map<String, String> config) {
    /** Validates and copies. */
    public TrainingStartEvent {
        EventMaps.requireToken("runName", runName);
        if (totalSteps < 0) {
            throw new IllegalArgumentException("totalSteps is " + totalSteps + "; must be >= 0");
        }
        config = EventMaps.strings(config);
    }
}
