package io.github.dl4jgrpoma.examples.math;

import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The outcome of the SFT warm-up: the warmed-up policy and its evaluation.
 *
 * @param policy            the policy after SFT (RL continues training it in place)
 * @param sftSeconds        SFT wall-clock time
 * @param heldOut           held-out evaluation after SFT
 * @param outOfDistribution OOD evaluation after SFT
 */
public record WarmUp(TransformerPolicy policy, double sftSeconds, EvalResult heldOut, EvalResult outOfDistribution) {
}
