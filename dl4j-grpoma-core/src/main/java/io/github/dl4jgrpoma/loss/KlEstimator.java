package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Per-token estimators of {@code KL(pi_theta || pi_ref)} from the log-probability of the sampled token,
 * written with {@code d = log pi_ref(y_t) - log pi_theta(y_t)} (J. Schulman, "Approximating KL
 * divergence", 2020).
 *
 * <ul>
 *   <li>{@link #K1}: {@code kl = -d = log pi_theta - log pi_ref}. Unbiased for the KL value but of high
 *       variance and can be negative per token.</li>
 *   <li>{@link #K3}: {@code kl = exp(d) - d - 1}. Unbiased, always {@code >= 0}, low variance; the
 *       estimator of DeepSeekMath's GRPO and of TRL. The default.</li>
 * </ul>
 * Both are pure graph construction: no IO, no randomness.
 */
public enum KlEstimator {
    /** {@code kl = log pi_theta(y_t) - log pi_ref(y_t) = -d}. */
    K1 {
        @Override
        public SDVariable build(SameDiff sd, SDVariable d) {
            return d.neg();
        }
    },
    /** {@code kl = exp(d) - d - 1} with {@code d = log pi_ref(y_t) - log pi_theta(y_t)}. */
    K3 {
        @Override
        public SDVariable build(SameDiff sd, SDVariable d) {
            return sd.math.exp(d).sub(d).sub(1.0);
        }
    };

    /**
     * Builds the per-token estimate from the log-ratio {@code d = log pi_ref - log pi_theta} (any shape;
     * the result has the same shape).
     */
    public abstract SDVariable build(SameDiff sd, SDVariable d);
}
