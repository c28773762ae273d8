package io.github.dl4jgrpoma.examples.math;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;

/** Keeps every step event of a run in memory, for plots and the study's aggregates. */
final class MetricsHistory implements TrainingListener {
    private final List<StepEvent> rows = new ArrayList<>();

    @Override
    public ListenerResponse onStep(StepEvent event) {
        rows.add(event);
        return ListenerResponse.CONTINUE;
    }

    /** Adds the rows of the steps a resumed run does not redo, before its first step. */
    void preload(List<StepEvent> earlier) {
        rows.addAll(0, earlier);
    }

    List<StepEvent> rows() {
        return List.copyOf(rows);
    }
}
