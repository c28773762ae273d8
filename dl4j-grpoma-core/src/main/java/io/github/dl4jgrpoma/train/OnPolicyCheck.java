package io.github.dl4jgrpoma.train;

/**
 * The first-step check that the policy is deterministic: in the first inner epoch of the first step the
 * weights are those that sampled the rollout, so the loss's forward pass must reproduce the recorded
 * log-probs and give {@code ratio/mean = 1} and {@code approx_kl = 0} up to float error (measured: below
 * 1e-6 and 1e-10 on the built-in transformer with the KV cache). A policy whose forward pass is random
 * (dropout, noise layers) or whose decoder disagrees with its graph does not, and PPO clipping would then act
 * on noise: a tiny model with hand-written dropout showed ratio/mean 1.00025, approx_kl 0.022 and clip
 * fraction 0.08 at step 1 (issue 9).
 *
 * <p>Our choice: fail, not warn. The trainer throws an {@link IllegalStateException} at the first step
 * when {@code |ratio/mean - 1| > }{@value #RATIO_TOLERANCE} or {@code approx_kl > }{@value #APPROX_KL_TOLERANCE}
 * (both far above float error, both below what one dropout layer causes), saying what to do: train with
 * dropout disabled in rollouts and loss alike, as TRL does. A warning would let a run continue on a wrong
 * objective for hours. SameDiff's own {@code sd.nn.dropout} is rejected earlier, when the trainer is built
 * ({@link io.github.dl4jgrpoma.graph.UnsafeOps}).
 */
final class OnPolicyCheck {
    /** Largest accepted {@code |ratio/mean - 1|} at the first epoch of the first step. */
    static final double RATIO_TOLERANCE = 1e-3;
    /** Largest accepted {@code approx_kl} at the first epoch of the first step. */
    static final double APPROX_KL_TOLERANCE = 1e-4;

    private OnPolicyCheck() {
    }

    /**
     * @param ratioMean mean ratio over the loss tokens, before any update of the step
     * @param approxKl  {@code mean(r - 1 - log r)} over the loss tokens, before any update of the step
     * @param step      the 1-based step, for the message
     * @throws IllegalStateException when either is off by more than its tolerance (or not finite)
     */
    static void require(double ratioMean, double approxKl, long step) {
        if (Math.abs(ratioMean - 1) <= RATIO_TOLERANCE && approxKl <= APPROX_KL_TOLERANCE) {
            return;
        }
        throw new IllegalStateException("step " + step + ": before any update the loss's forward pass does not"
                + " reproduce the rollout's log-probs (ratio/mean = " + ratioMean + ", approx_kl = " + approxKl
                + "; expected 1 and 0 up to float error, tolerances " + RATIO_TOLERANCE + " and " + APPROX_KL_TOLERANCE
                + "). The policy is not deterministic (dropout or other noise in its graph) or its decoder disagrees"
                + " with its graph, so the PPO ratio and clipping would act on noise. Fix: disable dropout in rollouts"
                + " and in the loss alike (build the training graph without it, as TRL does), and make"
                + " PolicyModel.forward and its decoder compute the same logits");
    }
}
