package io.github.dl4jgrpoma.examples.math;

import java.util.List;

/**
 * Outcome of a {@link MathEvaluator} run.
 *
 * @param problems       number of problems
 * @param greedyAccuracy fraction answered exactly right by greedy decoding
 * @param sampledPass1   mean exact-match rate of sampled answers (NaN when sampling was skipped)
 * @param examples       a few greedy rollouts rendered as text
 */
public record EvalResult(int problems, double greedyAccuracy, double sampledPass1, List<String> examples) {
    public EvalResult {
        examples = List.copyOf(examples);
    }
}
