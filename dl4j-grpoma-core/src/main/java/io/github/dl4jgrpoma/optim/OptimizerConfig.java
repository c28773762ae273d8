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
 */
public record OptimizerConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                              double maxGradNorm) {
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
    }

    /** Learning rate 1e-3, betas (0.9, 0.999), epsilon 1e-8, no weight decay, clip at global norm 1.0. */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig(DEFAULT_LEARNING_RATE, 0.9, 0.999, 1e-8, 0.0, 1.0);
    }

    /** A copy with another learning rate. */
    public OptimizerConfig withLearningRate(double lr) {
        return new OptimizerConfig(lr, beta1, beta2, epsilon, weightDecay, maxGradNorm);
    }

    /** A copy with another clipping norm (0 disables clipping). */
    public OptimizerConfig withMaxGradNorm(double norm) {
        return new OptimizerConfig(learningRate, beta1, beta2, epsilon, weightDecay, norm);
    }

    private static void require(String field, double value, boolean ok, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("OptimizerConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }
}
