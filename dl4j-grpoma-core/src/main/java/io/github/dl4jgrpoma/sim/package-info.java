/**
 * The estimator simulator: GRPO-MA's variance argument (GRPO-MA.md section 4) made checkable without a
 * model. {@link io.github.dl4jgrpoma.sim.EstimatorSimulator#run} draws Bernoulli rewards for true thought
 * values {@code mu ~ Uniform(0,1)}, runs the real advantage estimator and tabulates, per (K, M), the
 * variance of the estimated thought advantage next to the leading-order prediction
 * {@code sigma^2 / (M Var(mu) + E[sigma^2])}. Seeded, deterministic; logs progress through SLF4J.
 */
package io.github.dl4jgrpoma.sim;
