package io.github.dl4jgrpoma.examples.math;

/**
 * A held-out evaluation during RL.
 *
 * @param step           RL steps completed
 * @param trainSeconds   RL wall-clock time up to this step, evaluation time excluded
 * @param greedyAccuracy held-out greedy accuracy
 */
public record EvalPoint(long step, double trainSeconds, double greedyAccuracy) {
}
