package io.github.dl4jgrpoma.reward;

import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Scores one answer of a GRPO-MA rollout. Implementations must be side-effect free with respect to the
 * training state and should be deterministic; they may throw or return a non-finite number on bad input,
 * which a {@link RewardScorer} handles according to its {@link RewardErrorPolicy}.
 *
 * <p>Every reward has a {@link #name()} that labels its metrics ({@code rewards/<name>/mean}); names
 * consist of letters, digits, {@code _ . : -} only (no {@code /}, no spaces) so that metric names stay
 * unambiguous. A lambda is turned into a named reward with {@link #of(String, ToDoubleFunction)}:
 * <pre>{@code
 * RewardFunction shortAnswer = RewardFunction.of("short_answer", ctx -> ctx.answerLength() <= 8 ? 0.1 : 0.0);
 * }</pre>
 */
public interface RewardFunction {

    /** Characters allowed in a reward name. */
    Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.:-]+");

    /**
     * The reward of one answer.
     *
     * @param ctx the prompt, thought, answer and indices
     * @return a finite score; larger is better
     */
    double score(RewardContext ctx);

    /** The unique, metric-safe name of this reward (see {@link #NAME_PATTERN}). */
    String name();

    /**
     * A named reward backed by a function.
     *
     * @throws IllegalArgumentException if the name is not metric-safe or the function is null
     */
    static RewardFunction of(String name, ToDoubleFunction<RewardContext> fn) {
        return new NamedRewardFunction(checkName(name), fn);
    }

    /**
     * Returns {@code name} if it is a valid reward name.
     *
     * @throws IllegalArgumentException naming the value and the allowed characters
     */
    static String checkName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException("reward name '" + name + "' is invalid; fix: use a non-empty name of"
                    + " letters, digits and _ . : - only (it becomes part of the metric rewards/<name>/mean)");
        }
        return name;
    }
}
