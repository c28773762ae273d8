/**
 * The optimiser shared by every trainer: {@link io.github.dl4jgrpoma.optim.AdamOptimizer} (Adam with global
 * gradient-norm clipping and optional decoupled weight decay, applied to parameter arrays in place) configured by
 * {@link io.github.dl4jgrpoma.optim.OptimizerConfig}. Our own loop because {@code sd.fit} has no gradient clipping
 * and reports a loss of 0 in DL4J 1.0.0-M2.1 (DL4J-NOTES section 4).
 */
package io.github.dl4jgrpoma.optim;
