package io.github.dl4jgrpoma.optim;


/**
 * Adam(W) settings of the trainer's own update loop ({@code sd.fit} has no gradient clipping in M2.1).
 *
 * @param learningRate  step size; default {@value #DEFAULT_LEARNING_RATE}; must be finite and {@code > 0}
 * @param beta1         first-moment decay; default 0.9; in [0, 1)
 * @param beta2         second-moment decay; default 0.999; in [0, 1)
 * @param epsilon       Adam's denominator epsilon; default 1e-8; {@code > 0}
 * @param weightDecay   decoupled (AdamW) weight decay {@code theta -= lr * wd * theta}; default 0; {@code >= 0}
 * @param maxGradNorm   global L2 norm the gradient is clipped to before Adam; default 1.0 (as TRL);
 *                      {@code 0} disables clipping; {@code >= 0}
 * @param linearDecaySteps 0 (default): constant learning rate; {@code N > 0}: the learning rate falls linearly
 *                      from {@code learningRate} at step 0 to 0 at step {@code N} and stays 0 after it
 *                      (TRL's default {@code lr_scheduler_type="linear"} with {@code N} = the run's steps, no
 *                      warm-up; not ND4J's {@code PolySchedule}: in M2.1 it computes
 *                      {@code lr * (1 + i/N)^power}, growing instead of decaying); {@code >= 0}
 */
public record OptimizerConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                              double maxGradNorm, int linearDecaySteps) {
    /** Default learning rate for the small from-scratch models of the examples. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public OptimizerConfig {
        require("learningRate", learningRate, learningRate > 0 && Double.isFinite(learningRate),
                "use a positive step size such as 1e-3 (small models) or 1e-6 (large ones)");
        require("beta1", beta1, beta1 >= 0 && beta1 < 1, "use a value in [0, 1), typically 0.9");
        require("beta2", beta2, beta2 >= 0 && beta2 < 1, "use a value in [0, 1), typically 0.999");
        require("epsilon", epsilon, epsilon > 0 && Double.isFinite(epsilon), "use a small positive value such as 1e-8");
        require("weightDecay", weightDecay, weightDecay >= 0 && Double.isFinite(weightDecay),
                "use 0 (off) or a small positive value such as 0.01");
        require("maxGradNorm", maxGradNorm, maxGradNorm >= 0 && Double.isFinite(maxGradNorm),
                "use 0 to disable clipping or a positive norm such as 1.0");
        require("linearDecaySteps", linearDecaySteps, linearDecaySteps >= 0,
                "use 0 (constant learning rate) or the number of optimiser steps over which it falls to 0");
    }

    /**
     * Learning rate 1e-3, constant, betas (0.9, 0.999), epsilon 1e-8, no weight decay, clip at global norm 1.0.
     */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig(DEFAULT_LEARNING_RATE, 0.9, 0.999, 1e-8, 0.0, 1.0, 0);
    }

    /** A copy with another learning rate. */
    public OptimizerConfig withLearningRate(double lr) {
        return new OptimizerConfig(lr, beta1, beta2, epsilon, weightDecay, maxGradNorm, linearDecaySteps);
    }

    /** A copy with another clipping norm (0 disables clipping). */
    public OptimizerConfig withMaxGradNorm(double norm) {
        return new OptimizerConfig(learningRate, beta1, beta2, epsilon, weightDecay, norm, linearDecaySteps);
    }

    /**
     * A copy whose learning rate falls linearly to 0 over {@code steps} optimiser steps (0: constant).
     *
     * @throws IllegalArgumentException if {@code steps < 0}
     */
    public OptimizerConfig withLinearDecay(int steps) {
        return new OptimizerConfig(learningRate, beta1, beta2, epsilon, weightDecay, maxGradNorm, steps);
    }

    /**
     * The learning rate of the optimiser step with 0-based index {@code iteration}: {@code learningRate}, or
     * {@code learningRate * max(0, 1 - iteration / linearDecaySteps)} with a linear decay.
     */
    public double learningRateAt(long iteration) {
        return linearDecaySteps == 0 ? learningRate
                : learningRate * Math.max(0.0, 1.0 - (double) iteration / linearDecaySteps);
    }

    private static void require(String field, double value, boolean ok, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("OptimizerConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }
}
