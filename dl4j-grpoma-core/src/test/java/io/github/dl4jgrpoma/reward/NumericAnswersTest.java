package io.github.dl4jgrpoma.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class NumericAnswersTest {

    private static void accepts(String text, double expected) {
        OptionalDouble v = NumericAnswers.parse(text);
        assertTrue(v.isPresent(), "should parse: '" + text + "'");
        assertEquals(expected, v.getAsDouble(), 0.0, text);
    }

    private static void rejects(String text) {
        assertFalse(NumericAnswers.parse(text).isPresent(), "should not parse: '" + text + "'");
    }

    @Test
    void acceptsIntegersDecimalsSignsAndSurroundingWhitespace() {
        accepts("42", 42);
        accepts("  42\n", 42);
        accepts("\t-3 ", -3);
        accepts("+4.50", 4.5);
        accepts("0.5", 0.5);
        accepts(".5", 0.5);
        accepts("-.25", -0.25);
        accepts("5.", 5);
        accepts("007", 7);
        accepts("-0", -0.0);
        accepts("123456789012", 123456789012.0);
    }

    @Test
    void rejectsEverythingElse() {
        rejects(null);
        rejects("");
        rejects("   ");
        rejects("+");
        rejects("-");
        rejects(".");
        rejects("- 3");
        rejects("1e3");
        rejects("1,000");
        rejects("1 000");
        rejects("0x10");
        rejects("NaN");
        rejects("Infinity");
        rejects("3/4");
        rejects("42 apples");
        rejects("x=42");
        rejects("4.2.1");
        rejects("--3");
        rejects("\u0664\u0662"); // Arabic-Indic digits are not ASCII digits
        rejects("9".repeat(400)); // finite grammar, infinite double
    }
}
