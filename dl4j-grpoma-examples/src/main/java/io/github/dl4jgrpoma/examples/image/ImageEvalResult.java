package io.github.dl4jgrpoma.examples.image;

import java.util.List;

/**
 * Outcome of an {@link ImageEvaluator} run on test-split problems.
 *
 * @param problems        number of problems
 * @param readingAccuracy fraction whose greedy thought is the true reading (digits, or the class for locate)
 * @param greedyScore     mean task score of greedy answers: exact-sum accuracy, or mean IoU for locate
 * @param sampledScore    mean task score of sampled answers (pass@1 for digit-sum, mean IoU for locate); NaN when
 *                        sampling was skipped
 * @param examples        a few greedy rollouts rendered as text
 */
public record ImageEvalResult(int problems, double readingAccuracy, double greedyScore, double sampledScore,
                              List<String> examples) {
    public ImageEvalResult {
        examples = List.copyOf(examples);
    }
}
