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

    /** Adds the rows of the steps a resumed run does not redo, before its first step. */
    public void preload(List<StepEvent> earlier) {
        rows.addAll(0, earlier);
    }

    /** Every step event so far. */
    public List<StepEvent> rows() {
        return List.copyOf(rows);
    }

    /** Series of a metric over steps: {@code [steps[], values[]]}; NaN where a step lacks it. */
    public static double[][] series(List<StepEvent> rows, String name) {
        double[] x = new double[rows.size()];
        double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            x[i] = rows.get(i).step();
            Double v = rows.get(i).metrics().get(name);
            y[i] = v == null ? Double.NaN : v;
        }
        return new double[][] {x, y};
    }
}
