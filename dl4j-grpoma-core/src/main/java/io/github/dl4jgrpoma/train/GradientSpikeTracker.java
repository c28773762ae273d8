package io.github.dl4jgrpoma.train;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The gradient spike score of GRPO-MA.md section 5 (the paper's GSS@10 is not published; this is our
 * definition): a step's gradient norm divided by the median gradient norm of the previous {@value #WINDOW}
 * steps (fewer at the start of a run). Steps whose gradient is exactly zero (every group without reward
 * spread, so every advantage is 0) are recorded but left out of the median: they say nothing about the
 * usual gradient scale, and a median of 0 would make the next score infinite. The score is undefined (NaN)
 * when no earlier step had a nonzero norm, for example on the first step.
 */
public final class GradientSpikeTracker {
    public static final int WINDOW = 10;
    private final Deque<Double> recent = new ArrayDeque<>();

    /** The spike score of {@code norm} against the recorded history, then records it. */
    public double score(double norm) {
        double median = median();
        double s = median > 0 ? norm / median : Double.NaN;
        recent.addLast(norm);
        if (recent.size() > WINDOW) {
            recent.removeFirst();
        }
        return s;
    }

    private double median() {
        double[] v = recent.stream().mapToDouble(Double::doubleValue).filter(d -> d > 0).toArray();
        Arrays.sort(v);
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }

    /** The recorded norms, oldest first (for checkpoints). */
    public List<Double> history() {
        return new ArrayList<>(recent);
    }

    /** Replaces the history (from a checkpoint). */
    public void restore(List<Double> norms) {
        recent.clear();
        for (double d : norms) {
            score(d);
        }
    }
}
