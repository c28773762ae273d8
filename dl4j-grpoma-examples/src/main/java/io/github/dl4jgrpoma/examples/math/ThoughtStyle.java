package io.github.dl4jgrpoma.examples.math;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How much of the computation the scratchpad writes down (see {@link Scratchpad}). */
public enum ThoughtStyle {
    /** Every column with its incoming carry or borrow: the answer is read off the scratchpad. */
    FULL,
    /**
     * Column results without carries or borrows ({@code 7+8=15|5+6=11|}): the answer must still apply them
     * ({@code 125}), so it stays uncertain after the thought, the regime GRPO-MA's M answers are meant for.
     */
    NO_CARRY;

    /** Parses {@code full} or {@code no-carry}. */
    @JsonCreator
    public static ThoughtStyle parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "full" -> FULL;
            case "no-carry" -> NO_CARRY;
            default -> throw new IllegalArgumentException("unknown thought style '" + s + "': use full or no-carry");
        };
    }

    /** The command-line name. */
    @JsonValue
    public String cliName() {
        return this == FULL ? "full" : "no-carry";
    }
}
