package io.github.dl4jgrpoma.examples.code;

import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The outcome of a code run's SFT warm-up.
 *
 * @param policy       the policy after SFT (RL continues training it in place)
 * @param sftSeconds   SFT wall-clock time
 * @param heldOut      held-out evaluation after SFT
 * @param combinations held-out {@code a*n+b} parameter combinations after SFT
 */
public record CodeWarmUp(TransformerPolicy policy, double sftSeconds, CodeEval heldOut, CodeEval combinations) {
}
