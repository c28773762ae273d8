package io.github.dl4jgrpoma.examples;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;

/** Keeps every step event of a run in memory, for plots and the study's aggregates. */
public final class MetricsHistory implements TrainingListener {
    private final List<StepEvent> rows = new ArrayList<>();

    @Override
    public ListenerResponse onStep(StepEvent event) {
        rows.add(event);
        return ListenerResponse.CONTINUE;
    }

    /** The step events so far, in order. */
    public List<StepEvent> rows() {
        return List.copyOf(rows);
    }
}
