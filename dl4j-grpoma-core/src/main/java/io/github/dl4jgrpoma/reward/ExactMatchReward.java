package io.github.dl4jgrpoma.reward;

import java.util.EnumSet;
import java.util.Set;

/**
 * {@code 1.0} when the normalised answer equals the normalised expected text from the prompt metadata,
 * else {@code 0.0}. Normalisation applies the chosen {@link TextNormalization} steps in their declaration
 * order to both sides. A missing expected value throws an {@link IllegalArgumentException} naming the key
 * (a data error, wrapped by {@link RewardScorer}).
 *
 * @param name           metric name, default {@value #DEFAULT_NAME}
 * @param expectedKey    metadata key of the expected text, default {@value #DEFAULT_KEY}
 * @param normalizations steps applied before comparing (copied; may be empty for raw equality), default
 *                       {@code {STRIP}}
 */
public record ExactMatchReward(String name, String expectedKey, Set<TextNormalization> normalizations)
        implements RewardFunction {

    /** Default reward name. */
    public static final String DEFAULT_NAME = "exact_match";
    /** Default metadata key of the expected answer. */
    public static final String DEFAULT_KEY = "answer";

    /** Validates and copies the fields. */
    public ExactMatchReward {
        RewardFunction.checkName(name);
        if (expectedKey == null || expectedKey.isEmpty()) {
            throw new IllegalArgumentException("expectedKey is '" + expectedKey
                    + "'; fix: name the metadata key that holds the expected text, e.g. \"answer\"");
        }
        if (normalizations == null) {
            throw new IllegalArgumentException("normalizations is null; fix: pass Set.of() for raw equality");
        }
        normalizations = Set.copyOf(normalizations);
    }

    /** Name {@value #DEFAULT_NAME}, key {@value #DEFAULT_KEY}, normalisation {@code STRIP}. */
    public static ExactMatchReward withDefaults() {
        return new ExactMatchReward(DEFAULT_NAME, DEFAULT_KEY, Set.of(TextNormalization.STRIP));
    }

    /** Applies the configured steps in declaration order. */
    public String normalize(String s) {
        String out = s;
        for (TextNormalization step : EnumSet.allOf(TextNormalization.class)) {
            if (normalizations.contains(step)) {
                out = step.apply(out);
            }
        }
        return out;
    }

    @Override
    public double score(RewardContext ctx) {
        String expected = ctx.requireMetadata(expectedKey);
        return normalize(ctx.answer()).equals(normalize(expected)) ? 1.0 : 0.0;
    }
}
