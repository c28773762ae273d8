package io.github.dl4jgrpoma.loss;

import java.util.Arrays;
import java.util.Locale;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Per-token estimators of {@code KL(pi_theta || pi_ref)} used as a penalty term in the loss, from the
 * log-probability of the sampled token, written with {@code d = log pi_ref(y_t) - log pi_theta(y_t)}
 * (J. Schulman, "Approximating KL divergence", 2020). Only estimators whose <em>gradient</em> lowers the KL
 * are offered:
 *
 * <ul>
 *   <li>{@link #K3}: {@code kl = exp(d) - d - 1}. Always {@code >= 0}, low variance; the estimator of
 *       DeepSeekMath's GRPO and of TRL. Its gradient on tokens sampled from the policy is, in expectation,
 *       {@code -sum_y pi_ref(y) grad log pi_theta(y)}, the gradient of {@code KL(pi_ref || pi_theta)}: it pulls
 *       the policy towards the reference. The default.</li>
 *   <li>{@link #K2}: {@code kl = d^2 / 2 = (log r)^2 / 2} with {@code r = pi_theta / pi_ref}. Its gradient
 *       {@code (log pi_theta - log pi_ref) grad log pi_theta} is, on tokens sampled from the policy, an unbiased
 *       estimate of the gradient of {@code KL(pi_theta || pi_ref)} itself (as used by verl's {@code low_var_kl}
 *       family and RLHF work that penalises the squared log-ratio).</li>
 * </ul>
 *
 * <p>Not offered: {@code k1} ({@code kl = log pi_theta - log pi_ref}) as a loss term. Its value is an
 * unbiased KL estimate, but its gradient {@code grad log pi_theta} has expectation 0 on-policy, so as a loss
 * term it only adds noise: with constant rewards and beta 0.5 the exact KL grew from about 1.5 to 2.5-3.5 in
 * 25 steps (issue 9). PPO-RLHF uses k1 as a per-token <em>reward penalty</em> instead, which this library
 * does not implement; {@link #fromName} rejects "k1" naming the alternatives.
 *
 * <p>Both are pure graph construction: no IO, no randomness.
 */
public enum KlEstimator {
    /** {@code kl = (d^2) / 2} with {@code d = log pi_ref(y_t) - log pi_theta(y_t)}. */
    K2 {
        @Override
        public SDVariable build(SameDiff sd, SDVariable d) {
            return d.mul(d).mul(0.5);
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

    /**
     * The estimator named {@code "k2"} or {@code "k3"} (case-insensitive), for configuration read from text.
     *
     * @throws IllegalArgumentException for {@code "k1"} (explaining why it is not a loss term and naming the
     *                                  alternatives) and for any other unknown name
     */
    public static KlEstimator fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("k1")) {
            throw new IllegalArgumentException("KL estimator 'k1' is not offered as a loss term: its gradient is zero"
                    + " in expectation on-policy, so it does not lower the KL (it only adds noise); use 'k3' (default,"
                    + " as DeepSeekMath / TRL) or 'k2' (0.5 * (log r)^2, the unbiased KL gradient)");
        }
        for (KlEstimator k : values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(n)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown KL estimator '" + name + "'; use one of "
                + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
    }
}
