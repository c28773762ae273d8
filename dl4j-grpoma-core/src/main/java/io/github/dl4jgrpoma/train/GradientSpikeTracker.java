package io.github.dl4jgrpoma.train;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The gradient spike score of GRPO-MA.md section 5 (the paper's GSS@10 is not published; this is our
 * definition): a step's gradient norm divided by the median gradient norm of the previous {@value #WINDOW}
 * steps (fewer at the start of a run; undefined, NaN, for the first step).
 */
final class GradientSpikeTracker {
    static final int WINDOW = 10;
    private final Deque<Double> recent = new ArrayDeque<>();

    /** The spike score of {@code norm} against the recorded history, then records it. */
    double score(double norm) {
        double s = recent.isEmpty() ? Double.NaN : norm / median();
        recent.addLast(norm);
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        return s;
    }

    private double median() {
        double[] v = recent.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /** The recorded norms, oldest first (for checkpoints). */
    List<Double> history() {
        return new ArrayList<>(recent);
    }

    /** Replaces the history (from a checkpoint). */
    void restore(List<Double> norms) {
        recent.clear();
        for (double d : norms) {
            score(d);
        }
    }
}
