package io.github.dl4jgrpoma.reward;

import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * The number-parsing rules shared by {@link NumericMatchReward} and {@link FormatReward#numericAnswer}.
 *
 * <p>A text parses as a number when, after removing leading and trailing whitespace
 * ({@link String#strip()}), the <em>whole</em> remainder matches
 * <pre>  [+-]? ( digits ( "." digits? )? | "." digits )</pre>
 * with ASCII digits {@code 0-9}. Accepted: {@code "42"}, {@code " -3 "}, {@code "+4.50"}, {@code "0.5"},
 * {@code ".5"}, {@code "5."}, {@code "007"}. Rejected (no number): the empty text, {@code "+"},
 * {@code "."}, {@code "- 3"} (space after the sign), {@code "1e3"} (no exponents), {@code "1,000"}
 * (no grouping separators), {@code "0x10"}, {@code "NaN"}, {@code "Infinity"}, {@code "3/4"}, any extra
 * word such as {@code "42 apples"}, and digit strings too large for a finite {@code double}.
 *
 * <p>The rules are deliberately strict: a reward that extracts "some number somewhere in the text" pays
 * a policy for rambling; put such extraction into your own {@link RewardFunction} if you need it.
 */
public final class NumericAnswers {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)");

    private NumericAnswers() {
    }

    /**
     * Parses {@code text} by the rules above.
     *
     * @return the value, or empty when the text is null or is not a number by these rules
     */
    public static OptionalDouble parse(String text) {
        if (text == null) {
            return OptionalDouble.empty();
        }
        String s = text.strip();
        if (!NUMBER.matcher(s).matches()) {
            return OptionalDouble.empty();
        }
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }

    /** True when {@link #parse} finds a number. */
    public static boolean isNumber(String text) {
        return parse(text).isPresent();
    }
}
