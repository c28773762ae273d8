package io.github.dl4jgrpoma.examples;

import java.util.List;

import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * One run of a study (a shape on one seed) in task-neutral terms, for {@link StudyTable}.
 *
 * @param shape         for example {@code T4A4}
 * @param estimator     the advantage estimator's name
 * @param answers       answers per prompt (K x M)
 * @param seed          the seed
 * @param before        held-out greedy score of the SFT start (accuracy, or mean IoU)
 * @param after         held-out greedy score after RL
 * @param sampledBefore held-out sampled score of the SFT start (pass@1, or mean IoU of samples)
 * @param sampledAfter  held-out sampled score after RL
 * @param rlSteps       every RL step's metrics
 */
public record StudyRun(String shape, String estimator, int answers, long seed, double before, double after,
                       double sampledBefore, double sampledAfter, List<StepEvent> rlSteps) {
    public StudyRun {
        rlSteps = List.copyOf(rlSteps);
    }

    /** Gain of the greedy score over the SFT start. */
    public double gain() {
        return after - before;
    }

    /** Mean of a metric over the RL steps that report it (NaN if none). */
    public double meanMetric(String name) {
        double sum = 0;
        int n = 0;
        for (StepEvent e : rlSteps) {
            Double v = e.metrics().get(name);
            if (v != null && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
