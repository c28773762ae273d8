package io.github.dl4jgrpoma.train;

import java.util.Map;

import io.github.dl4jgrpoma.listener.ListenerResponse;

/**
 * What one {@link SftTrainer#step()} did.
 *
 * @param step     1-based number of the step (= completed steps after it)
 * @param metrics  {@code sft/loss}, {@code sft/token_acc}, {@code sft/tokens}, {@code grad_norm},
 *                 {@code time/update_ms}; unmodifiable
 * @param response the combined listener response
 */
public record SftStepResult(long step, Map<String, Double> metrics, ListenerResponse response) {
    /** Copies the map. */
    public SftStepResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
