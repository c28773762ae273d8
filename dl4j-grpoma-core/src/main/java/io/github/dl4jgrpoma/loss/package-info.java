/**
 * The GRPO / GRPO-MA clipped policy loss as a SameDiff subgraph that attaches to any graph exposing
 * next-token logits {@code [B,T,V]}.
 *
 * <ul>
 *   <li>{@link io.github.dl4jgrpoma.loss.GrpoLoss#attach} adds the placeholders (targets, thought / answer
 *       masks, per-token advantages, old and, when {@code beta > 0}, reference log-probs), the loss, the
 *       per-token log-probs and scalar metrics, and returns their names as a
 *       {@link io.github.dl4jgrpoma.loss.LossGraph}.</li>
 *   <li>{@link io.github.dl4jgrpoma.loss.LossConfig}: clip range, KL coefficient and estimator
 *       ({@link io.github.dl4jgrpoma.loss.KlEstimator}), thought weight, aggregation name.</li>
 *   <li>{@link io.github.dl4jgrpoma.loss.LossAggregation} strategies in an instance
 *       {@link io.github.dl4jgrpoma.loss.AggregationRegistry}: {@code sequence-mean} (the paper, default),
 *       {@code token-mean} (DAPO), {@code constant} (Dr. GRPO).</li>
 * </ul>
 * Only ops with correct DL4J 1.0.0-M2.1 gradients are used ({@code io.github.dl4jgrpoma.graph.SafeOps});
 * the tests check every gradient by double-precision finite differences. Pure graph construction: no IO,
 * no sampling, no randomness.
 */
package io.github.dl4jgrpoma.loss;
