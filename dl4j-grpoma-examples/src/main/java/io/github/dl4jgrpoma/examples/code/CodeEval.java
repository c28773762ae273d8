package io.github.dl4jgrpoma.examples.code;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.dl4jgrpoma.examples.code.lang.FailureCause;

/**
 * Outcome of a {@link CodeEvaluator} run. A sample is correct when its program passes every hidden test.
 *
 * @param problems       number of problems
 * @param greedyAccuracy fraction solved by greedy decoding
 * @param pass1          mean correctness of the sampled programs (k samples per problem)
 * @param passK          fraction of problems with at least one correct program among the k samples
 * @param k              samples per problem
 * @param perFamilyPass1 family id to sampled pass@1 (iterated in family-id order)
 * @param failures       failed sandbox runs of all evaluated programs, by cause
 * @param examples       a few greedy rollouts rendered as text
 */
public record CodeEval(int problems, double greedyAccuracy, double pass1, double passK, int k,
                       Map<String, Double> perFamilyPass1, Map<FailureCause, Long> failures, List<String> examples) {
    public CodeEval {
        perFamilyPass1 = Collections.unmodifiableMap(new TreeMap<>(perFamilyPass1));   // summary rows in a fixed order
        failures = Map.copyOf(failures);
        examples = List.copyOf(examples);
    }
}
