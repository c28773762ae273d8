package io.github.dl4jgrpoma.reward;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisation steps an {@link ExactMatchReward} applies to both the answer and the expected text before
 * comparing them. Steps are applied in declaration order: strip, collapse whitespace, lower case.
 */
public enum TextNormalization {
    /** Remove leading and trailing whitespace ({@link String#strip()}). */
    STRIP,
    /** Replace every run of whitespace by a single space. */
    COLLAPSE_WHITESPACE,
    /** Lower-case with {@link Locale#ROOT} (locale-independent). */
    LOWER_CASE;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    /** Applies this single step. */
    public String apply(String s) {
        return switch (this) {
            case STRIP -> s.strip();
            case COLLAPSE_WHITESPACE -> WHITESPACE.matcher(s).replaceAll(" ");
            case LOWER_CASE -> s.toLowerCase(Locale.ROOT);
        };
    }
}
