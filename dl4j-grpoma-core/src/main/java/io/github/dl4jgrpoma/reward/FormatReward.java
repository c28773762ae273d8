package io.github.dl4jgrpoma.reward;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A structure check: returns the configured {@link #value()} when the check passes and {@code 0.0}
 * otherwise. Typically a small bonus (e.g. 0.1) added to a correctness reward in a {@link CompositeReward},
 * so the policy first learns to produce a well-formed answer.
 *
 * <p>Checks (one per factory):
 * <ul>
 *   <li>{@link #numericAnswer}: the answer parses as a number by the {@link NumericAnswers} rules;</li>
 *   <li>{@link #answerMatches}: the regex matches the <em>whole</em> answer ({@link java.util.regex.Matcher#matches()});
 *       write {@code (?s).*<tag>.*} to search inside it;</li>
 *   <li>{@link #thoughtMatches}: the same for the thought;</li>
 *   <li>{@link #completed}: neither the thought nor the answer was truncated at its length cap, i.e. both
 *       end markers were generated.</li>
 * </ul>
 */
public final class FormatReward implements RewardFunction {
    private final String name;
    private final String description;
    private final Predicate<RewardContext> check;
    private final double value;

    private FormatReward(String name, String description, Predicate<RewardContext> check, double value) {
        this.name = RewardFunction.checkName(name);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value of format reward '" + name + "' must be finite but was "
                    + value + "; fix: use a small bonus such as 0.1");
        }
        this.description = description;
        this.check = check;
        this.value = value;
    }

    /** {@code value} when the answer parses as a number, else 0. */
    public static FormatReward numericAnswer(String name, double value) {
        return new FormatReward(name, "answer is a number", ctx -> NumericAnswers.isNumber(ctx.answer()), value);
    }

    /** {@code value} when {@code regex} matches the whole answer, else 0. */
    public static FormatReward answerMatches(String name, Pattern regex, double value) {
        Pattern p = requirePattern(name, regex);
        return new FormatReward(name, "answer matches /" + p.pattern() + "/", ctx -> p.matcher(ctx.answer()).matches(),
                value);
    }

    /** {@code value} when {@code regex} matches the whole thought, else 0. */
    public static FormatReward thoughtMatches(String name, Pattern regex, double value) {
        Pattern p = requirePattern(name, regex);
        return new FormatReward(name, "thought matches /" + p.pattern() + "/",
                ctx -> p.matcher(ctx.thought()).matches(), value);
    }

    /** {@code value} when neither thought nor answer was truncated, else 0. */
    public static FormatReward completed(String name, double value) {
        return new FormatReward(name, "thought and answer not truncated",
                ctx -> !ctx.thoughtTruncated() && !ctx.answerTruncated(), value);
    }

    /** The value returned when the check passes. */
    public double value() {
        return value;
    }

    /** Human-readable description of the check. */
    public String description() {
        return description;
    }

    @Override
    public double score(RewardContext ctx) {
        return check.test(ctx) ? value : 0.0;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "FormatReward(" + name + ": " + description + " -> " + value + ")";
    }

    private static Pattern requirePattern(String name, Pattern regex) {
        if (regex == null) {
            throw new IllegalArgumentException("regex of format reward '" + name
                    + "' is null; fix: pass Pattern.compile(...)");
        }
        return regex;
    }
}
