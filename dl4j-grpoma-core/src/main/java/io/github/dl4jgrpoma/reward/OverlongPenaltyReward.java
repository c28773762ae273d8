package io.github.dl4jgrpoma.reward;

/**
 * DAPO's soft overlong punishment (Yu et al., "DAPO: An Open-Source LLM Reinforcement Learning System at Scale",
 * arXiv 2503.14476, 2025, eq. 13), a length penalty that grows linearly inside a buffer before the length cap. With
 * {@code L} the response length in tokens (thought tokens plus answer tokens), {@code L_max} the cap and
 * {@code L_cache} the buffer:
 * <pre>
 *   R = 0                                  L &lt;= L_max - L_cache
 *   R = ((L_max - L_cache) - L) / L_cache   L_max - L_cache &lt; L &lt;= L_max
 *   R = -1                                 L &gt; L_max
 * </pre>
 * Add it to the task reward in a {@link CompositeReward} (weight 1 in DAPO); its mean is reported as
 * {@code rewards/<name>/mean} like every reward, so the metrics show how much it costs. For GRPO-MA the response is
 * the thought the answer was branched from plus the answer (each answer gets its own penalty). Our choice: a
 * sensible {@code L_max} is the rollout's {@code maxThoughtTokens + maxAnswerTokens}, so a response that hits both
 * caps gets -1.
 */
public final class OverlongPenaltyReward implements RewardFunction {
    /** The default name, {@value}. */
    public static final String DEFAULT_NAME = "overlong";

    private final String name;
    private final int maxLength;
    private final int cacheLength;

    /**
     * @param name        metric-safe name
     * @param maxLength   {@code L_max}, the length in tokens where the penalty reaches -1, {@code >= 1}
     * @param cacheLength {@code L_cache}, the buffer in tokens over which it falls from 0 to -1,
     *                    {@code 1..maxLength}
     * @throws IllegalArgumentException naming the bad value and the fix
     */
    public OverlongPenaltyReward(String name, int maxLength, int cacheLength) {
        this.name = RewardFunction.checkName(name);
        if (maxLength < 1) {
            throw new IllegalArgumentException("overlong penalty '" + name + "': maxLength = " + maxLength
                    + "; fix: use the response length cap in tokens (>= 1), e.g. maxThoughtTokens + maxAnswerTokens");
        }
        if (cacheLength < 1 || cacheLength > maxLength) {
            throw new IllegalArgumentException("overlong penalty '" + name + "': cacheLength = " + cacheLength
                    + " must lie in 1.." + maxLength + " (maxLength); fix: use a buffer such as maxLength / 4");
        }
        this.maxLength = maxLength;
        this.cacheLength = cacheLength;
    }

    /** {@code L_max}. */
    public int maxLength() {
        return maxLength;
    }

    /** {@code L_cache}. */
    public int cacheLength() {
        return cacheLength;
    }

    @Override
    public double score(RewardContext ctx) {
        return penalty(ctx.thoughtLength() + ctx.answerLength());
    }

    /** The penalty of a response of {@code length} tokens (the formula above). */
    public double penalty(int length) {
        int free = maxLength - cacheLength;
        if (length <= free) {
            return 0.0;
        }
        if (length > maxLength) {
            return -1.0;
        }
        return (double) (free - length) / cacheLength;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "OverlongPenaltyReward(" + name + ": L_max " + maxLength + ", L_cache " + cacheLength + ")";
    }
}
