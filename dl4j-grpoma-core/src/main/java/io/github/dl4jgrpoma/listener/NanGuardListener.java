package io.github.dl4jgrpoma.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Stops training with a {@link NonFiniteMetricException} as soon as a step reports NaN or an infinity in
 * a watched metric (all metrics by default). The message names the phase, the step and every offending
 * metric with its value, plus the usual fixes.
 */
public final class NanGuardListener implements TrainingListener {
    private final Set<String> watched;

    /** Watches every metric of every step. */
    public NanGuardListener() {
        this(Set.of());
    }

    /** Watches only {@code metrics} (a step that lacks one is fine); empty watches all. */
    public NanGuardListener(Set<String> metrics) {
        this.watched = Set.copyOf(metrics);
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        List<String> bad = new ArrayList<>();
        StringBuilder values = new StringBuilder();
        e.metrics().forEach((k, v) -> {
            if ((watched.isEmpty() || watched.contains(k)) && !Double.isFinite(v)) {
                bad.add(k);
                values.append(values.length() == 0 ? "" : ", ").append(k).append('=').append(v);
            }
        });
        if (!bad.isEmpty()) {
            throw new NonFiniteMetricException(e.phase(), e.step(), bad, "non-finite metric" + (bad.size() > 1 ? "s" : "")
                    + " at " + e.phase() + " step " + e.step() + "/" + e.totalSteps() + ": " + values
                    + "; training stopped; fix: lower the learning rate, enable gradient clipping, or check the"
                    + " rewards and inputs for NaN, then resume from the last checkpoint");
        }
        return ListenerResponse.CONTINUE;
    }
}
