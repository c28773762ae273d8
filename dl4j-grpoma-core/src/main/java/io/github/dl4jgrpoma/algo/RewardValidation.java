package io.github.dl4jgrpoma.algo;

/**
 * Checks of one prompt's reward matrix before an estimator touches it.
 *
 * <p>A reward matrix is {@code rewards[i][j]} = reward of answer {@code j} of thought {@code i}. It must be
 * non-null, rectangular {@code K x M} with {@code K, M >= 1}, hold at least {@code minAnswers} answers in
 * all, and every reward must be finite: a NaN or infinite reward would silently turn every advantage of
 * the prompt into NaN, so it is rejected with the prompt, thought and answer indices and the value.
 */
public final class RewardValidation {
    private RewardValidation() {
    }

    /**
     * Validates one prompt's rewards.
     *
     * @param rewards     {@code K x M} rewards
     * @param promptIndex index of the prompt in its batch, or {@link AdvantageEstimator#UNKNOWN_PROMPT}
     * @param minAnswers  least {@code K*M} the estimator needs (2 for a group normaliser)
     * @param estimator   estimator name, for the messages
     * @throws IllegalArgumentException naming what is wrong, where, and how to fix it
     */
    public static void validate(double[][] rewards, int promptIndex, int minAnswers, String estimator) {
        String where = describePrompt(promptIndex);
        if (rewards == null) {
            throw new IllegalArgumentException(estimator + ": rewards of " + where + " are null; pass a K x M array "
                    + "(K thoughts, M answers per thought)");
        }
        if (rewards.length == 0) {
            throw new IllegalArgumentException(estimator + ": rewards of " + where + " have K=0 thoughts; pass a K x M "
                    + "array with K >= 1");
        }
        if (rewards[0] == null || rewards[0].length == 0) {
            throw new IllegalArgumentException(estimator + ": rewards of " + where + ", thought 0 are "
                    + (rewards[0] == null ? "null" : "empty (M=0)") + "; every thought needs M >= 1 answer rewards");
        }
        int m = rewards[0].length;
        for (int i = 1; i < rewards.length; i++) {
            if (rewards[i] == null || rewards[i].length != m) {
                throw new IllegalArgumentException(estimator + ": rewards of " + where + " are ragged: thought " + i
                        + " has " + (rewards[i] == null ? "null" : rewards[i].length + " answers")
                        + " but thought 0 has M=" + m + "; every thought needs the same number M of answer rewards");
            }
        }
        long total = (long) rewards.length * m;
        if (total < minAnswers) {
            throw new IllegalArgumentException(estimator + ": " + where + " has K*M=" + rewards.length + "*" + m + "="
                    + total + " answer rewards but the estimator needs at least " + minAnswers
                    + " to form a group; sample more thoughts or answers per prompt");
        }
        for (int i = 0; i < rewards.length; i++) {
            for (int j = 0; j < m; j++) {
                double r = rewards[i][j];
                if (!Double.isFinite(r)) {
                    throw new IllegalArgumentException(estimator + ": reward of " + where + ", thought " + i
                            + ", answer " + j + " is " + r + "; rewards must be finite: fix the reward function so "
                            + "it never returns NaN or infinity (for example score a failed parse as 0)");
                }
            }
        }
    }

    /**
     * Rejects a null config.
     *
     * @param cfg       the config an estimator was given
     * @param estimator estimator name, for the message
     * @return {@code cfg}
     */
    public static AdvantageConfig requireConfig(AdvantageConfig cfg, String estimator) {
        if (cfg == null) {
            throw new IllegalArgumentException(estimator + ": cfg is null; pass AdvantageConfig.defaults() or a built config");
        }
        return cfg;
    }

    /** "prompt 3", or a note that the index is unknown and how to get it reported. */
    static String describePrompt(int promptIndex) {
        return promptIndex >= 0 ? "prompt " + promptIndex
                : "prompt ? (index unknown: call estimate(rewards, cfg, promptIndex) or estimateAll to have it reported)";
    }
}
