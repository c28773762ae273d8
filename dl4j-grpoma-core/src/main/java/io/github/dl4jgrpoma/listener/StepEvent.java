package io.github.dl4jgrpoma.listener;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Sent after every optimiser step.
 *
 * @param phase         training phase, {@value #PHASE_SFT} or {@value #PHASE_RL} (any token of letters,
 *                      digits, {@code _ . -} is accepted)
 * @param step          1-based number of this step within its phase, {@code 1 <= step <= totalSteps}
 * @param totalSteps    planned steps of the phase
 * @param elapsedMillis wall-clock milliseconds since the phase started <em>in this process</em> (after a
 *                      resume: since the resume), {@code >= 0}
 * @param metrics       metric name to value, in the order the trainer produced them; unmodifiable copy;
 *                      values may be NaN or infinite (see {@link NanGuardListener})
 */
public record StepEvent(String phase, long step, long totalSteps, long elapsedMillis, Map<String, Double> metrics) {

    /** Phase name of supervised warm-up. */
    public static final String PHASE_SFT = "sft";
    /** Phase name of reinforcement learning (GRPO-MA). */
    public static final String PHASE_RL = "rl";

    /** Validates and copies. */
    public StepEvent {
        EventMaps.requireToken("phase", phase);
        if (totalSteps < 1 || step < 1 || step > totalSteps) {
            throw new IllegalArgumentException("step " + step + " of " + totalSteps
                    + " is out of range; fix: steps are 1-based and at most totalSteps (>= 1)");
        }
        if (elapsedMillis < 0) {
            throw new IllegalArgumentException("elapsedMillis is " + elapsedMillis + "; must be >= 0");
        }
        metrics = EventMaps.metrics(metrics);
    }

    /** The value of a metric, if this step reported it. */
    public OptionalDouble metric(String name) {
        Double v = metrics.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** {@code step / totalSteps}. */
    public double fraction() {
        return (double) step / totalSteps;
    }

    /** True for the last step of the phase. */
    public boolean isLast() {
        return step == totalSteps;
    }
}
