package io.github.dl4jgrpoma.train;

/**
 * What the trainer does with prompts whose group has no reward spread (all {@code K*M} totals equal up to
 * the relative tolerance of {@link io.github.dl4jgrpoma.algo.GroupStats#allEqual(double[])}, so every
 * advantage is 0 and they only dilute the loss average).
 */
public enum DynamicSampling {
    /** Keep every prompt in the loss (default). */
    OFF,
    /**
     * Drop such prompts from the loss (DAPO-style filtering without resampling). If every prompt of a step
     * is dropped the update is skipped; metric {@code update_skipped} is then 1 and the policy is unchanged.
     */
    DROP
}
