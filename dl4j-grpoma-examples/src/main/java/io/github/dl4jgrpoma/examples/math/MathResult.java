package io.github.dl4jgrpoma.examples.math;

import java.util.List;

import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * Everything a math run measured.
 *
 * @param settings       what was run
 * @param sftSeconds     SFT wall-clock time
 * @param rlSeconds      RL wall-clock time, periodic evaluation excluded
 * @param heldOutBefore  held-out evaluation after SFT, before RL
 * @param oodBefore      out-of-distribution evaluation before RL
 * @param heldOutAfter   held-out evaluation after RL
 * @param oodAfter       out-of-distribution evaluation after RL
 * @param rlSteps        every RL step's metrics
 * @param evalCurve      periodic held-out greedy accuracy during RL (empty when off)
 * @param checkpoint     directory of the final checkpoint ("" if none)
 */
public record MathResult(MathSettings settings, double sftSeconds, double rlSeconds, EvalResult heldOutBefore,
                         EvalResult oodBefore, EvalResult heldOutAfter, EvalResult oodAfter, List<StepEvent> rlSteps,
                         List<EvalPoint> evalCurve, String checkpoint) {
    public MathResult {
        rlSteps = List.copyOf(rlSteps);
        evalCurve = List.copyOf(evalCurve);
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

    /** Series of a metric over RL steps: {@code [steps[], values[]]}. */
    public double[][] series(String name) {
        return io.github.dl4jgrpoma.examples.TrainingPlots.series(rlSteps, name);
    }
}
