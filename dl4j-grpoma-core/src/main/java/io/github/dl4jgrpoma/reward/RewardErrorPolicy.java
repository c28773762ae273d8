package io.github.dl4jgrpoma.reward;

/**
 * Failure policy of a {@link RewardScorer}. A reward <em>fails</em> on a sample when it throws an exception
 * or returns NaN, {@code +Infinity} or {@code -Infinity}.
 *
 * <ul>
 *   <li>{@link #fail()} (default): stop with a {@link RewardException} naming the reward, the indices, an
 *       excerpt of prompt and answer, and the cause.</li>
 *   <li>{@link #substitute(double)}: the failing reward's raw score for that sample becomes the value
 *       (it is then weighted like any other score), and the failure is counted per reward name in
 *       {@link RewardScores#failureCounts()}.</li>
 * </ul>
 *
 * @param mode            FAIL or SUBSTITUTE
 * @param substituteValue the raw score used under SUBSTITUTE, finite; 0 under FAIL
 */
public record RewardErrorPolicy(RewardFailureMode mode, double substituteValue) {

    /** Validates the fields. */
    public RewardErrorPolicy {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null; fix: use RewardErrorPolicy.fail() or substitute(v)");
        }
        if (!Double.isFinite(substituteValue)) {
            throw new IllegalArgumentException("substituteValue must be finite but was " + substituteValue
                    + "; fix: use the score of a wrong answer, typically 0.0");
        }
        if (mode == RewardFailureMode.FAIL && substituteValue != 0.0) {
            throw new IllegalArgumentException("substituteValue " + substituteValue
                    + " is meaningless with mode FAIL; fix: use RewardErrorPolicy.substitute(v) or fail()");
        }
    }

    /** Fail fast (the default). */
    public static RewardErrorPolicy fail() {
        return new RewardErrorPolicy(RewardFailureMode.FAIL, 0.0);
    }

    /** Substitute {@code value} for a failing reward and count it. */
    public static RewardErrorPolicy substitute(double value) {
        return new RewardErrorPolicy(RewardFailureMode.SUBSTITUTE, value);
    }
}
