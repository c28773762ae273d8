package io.github.dl4jgrpoma.reward;

import java.util.OptionalDouble;

/**
 * Correctness reward for numeric answers: {@code 1.0} when the answer parses as a number (rules in
 * {@link NumericAnswers}) and {@code |answer - expected| <= tolerance}, else {@code 0.0}. An answer that
 * does not parse scores {@code 0.0}.
 *
 * <p>The expected value is read from the prompt metadata under {@link #expectedKey()} and parsed by the
 * same rules. A missing or non-numeric expected value is a data error, not a wrong answer: {@link #score}
 * throws an {@link IllegalArgumentException} naming the key and the prompt (a {@link RewardScorer} wraps
 * it in a {@link RewardException}).
 *
 * @param name        metric name, default {@value #DEFAULT_NAME}
 * @param expectedKey metadata key of the expected value, default {@value #DEFAULT_KEY}
 * @param tolerance   absolute tolerance, {@code >= 0} and finite, default {@value #DEFAULT_TOLERANCE}
 */
public record NumericMatchReward(String name, String expectedKey, double tolerance) implements RewardFunction {

    /** Default reward name. */
    public static final String DEFAULT_NAME = "numeric_match";
    /** Default metadata key of the expected answer. */
    public static final String DEFAULT_KEY = "answer";
    /** Default absolute tolerance (answers are usually integers or short decimals). */
    public static final double DEFAULT_TOLERANCE = 1e-6;

    /** Validates the fields. */
    public NumericMatchReward {
        RewardFunction.checkName(name);
        if (expectedKey == null || expectedKey.isEmpty()) {
            throw new IllegalArgumentException("expectedKey is '" + expectedKey
                    + "'; fix: name the metadata key that holds the expected number, e.g. \"answer\"");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0 but was " + tolerance
                    + "; fix: use 0 for exact equality or a small positive value such as 1e-6");
        }
    }

    /** The reward with all defaults: name {@value #DEFAULT_NAME}, key {@value #DEFAULT_KEY}, tolerance 1e-6. */
    public static NumericMatchReward withDefaults() {
        return new NumericMatchReward(DEFAULT_NAME, DEFAULT_KEY, DEFAULT_TOLERANCE);
    }

    /** The default reward reading the expected value from {@code key}. */
    public static NumericMatchReward forKey(String key) {
        return new NumericMatchReward(DEFAULT_NAME, key, DEFAULT_TOLERANCE);
    }

    @Override
    public double score(RewardContext ctx) {
        String raw = ctx.requireMetadata(expectedKey);
        OptionalDouble expected = NumericAnswers.parse(raw);
        if (expected.isEmpty()) {
            throw new IllegalArgumentException("metadata '" + expectedKey + "' of prompt " + ctx.promptIndex()
                    + " is '" + raw + "', not a number by the NumericAnswers rules; fix the dataset entry");
        }
        OptionalDouble actual = NumericAnswers.parse(ctx.answer());
        if (actual.isEmpty()) {
            return 0.0;
        }
        return Math.abs(actual.getAsDouble() - expected.getAsDouble()) <= tolerance ? 1.0 : 0.0;
    }
}
