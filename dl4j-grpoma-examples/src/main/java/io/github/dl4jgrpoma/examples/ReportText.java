package io.github.dl4jgrpoma.examples;

import java.util.Locale;

/**
 * How the commands' summaries, progress lines and study tables write numbers: a score with three decimals, or
 * {@value #NOT_MEASURED} where it was not measured (NaN: a sampled score with {@code --eval-samples 0}, a spike score of
 * a run shorter than the spike window), and counts whose noun agrees with the number ({@code 1 step}, {@code 2 steps}).
 */
public final class ReportText {
    /** What a table cell or summary column shows for a value that was not measured. */
    public static final String NOT_MEASURED = "-";

    private ReportText() {
    }

    /** {@code %.3f}, or {@value #NOT_MEASURED} for NaN. */
    public static String score(double v) {
        return format("%.3f", v);
    }

    /** {@code v} in the given {@link String#format} pattern (one number), or {@value #NOT_MEASURED} for NaN. */
    public static String format(String pattern, double v) {
        return Double.isNaN(v) ? NOT_MEASURED : String.format(Locale.ROOT, pattern, v);
    }

    /** {@link #score}, or {@code absent} (e.g. {@code n/a (--eval-samples 0)}) for NaN: for progress lines. */
    public static String scoreOr(double v, String absent) {
        return Double.isNaN(v) ? absent : score(v);
    }

    /**
     * A summary row: the name left-aligned in {@code nameWidth} characters, then the score after SFT and after RL in
     * 10 characters each ({@link #score}), ending with a line break.
     */
    public static String beforeAfter(int nameWidth, String name, double before, double after) {
        return String.format(Locale.ROOT, "%-" + nameWidth + "s %10s %10s%n", name, score(before), score(after));
    }

    /** {@code 1 step}, {@code 0 steps}, {@code 60 steps}: the noun (a regular English plural) agrees with {@code n}. */
    public static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The size of an RL phase, e.g. {@code 1 step x 16 prompts x 4 thoughts x 4 answers}. */
    public static String rlPlan(long steps, int prompts, int thoughts, int answers) {
        return count(steps, "step") + " x " + count(prompts, "prompt") + " x " + count(thoughts, "thought") + " x "
                + count(answers, "answer");
    }

    /** The size of an SFT warm-up, e.g. {@code 600 steps x 32 traces}. */
    public static String sftPlan(long steps, int traces) {
        return count(steps, "step") + " x " + count(traces, "trace");
    }

    /** A summary's timing line, e.g. {@code SFT: 600 steps in 132 s; RL: 1 step in 4 s} (no line break). */
    public static String timings(long sftSteps, double sftSeconds, long rlSteps, double rlSeconds) {
        return String.format(Locale.ROOT, "SFT: %s in %.0f s; RL: %s in %.0f s", count(sftSteps, "step"), sftSeconds,
                count(rlSteps, "step"), rlSeconds);
    }
}
