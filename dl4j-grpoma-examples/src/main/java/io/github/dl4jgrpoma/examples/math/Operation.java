package io.github.dl4jgrpoma.examples.math;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The arithmetic operations of the math task, with the symbol used in prompts and scratchpads. */
public enum Operation {
    /** {@code a + b}: column sums with carries. */
    ADD('+'),
    /** {@code a - b} with {@code a >= b}: column differences with borrows. */
    SUB('-'),
    /** {@code a * b} with a one-digit {@code b}: column products with carries. */
    MUL('*');

    private final char symbol;

    Operation(char symbol) {
        this.symbol = symbol;
    }

    /** The character written in prompts, for example {@code '+'}. */
    public char symbol() {
        return symbol;
    }

    /** The name in options and config files: {@code add}, {@code sub} or {@code mul}. */
    @JsonValue
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code add}, {@code sub} or {@code mul} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    @JsonCreator
    public static Operation parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "add" -> ADD;
            case "sub" -> SUB;
            case "mul" -> MUL;
            default -> throw new IllegalArgumentException("unknown operation '" + name + "': use add, sub or mul");
        };
    }
}
