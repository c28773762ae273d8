package io.github.dl4jgrpoma.rollout;

import java.util.Set;

/**
 * What one GRPO-MA rollout samples per prompt: K thoughts, each followed by M answers (TkAm).
 *
 * @param thoughts          K, thoughts per prompt (default 4)
 * @param answersPerThought M, answers per thought (default 4; M = 1 is plain GRPO)
 * @param maxThoughtTokens  cap on sampled thought tokens, end-of-thought included (default 32); a thought that
 *                          reaches it without the end-of-thought token is flagged truncated
 * @param maxAnswerTokens   cap on sampled answer tokens, stop token included (default 8); same flag
 * @param temperature       sampling temperature &gt; 0 (default 1.0)
 * @param topK              top-k filter, 0 = off (default 0)
 * @param topP              nucleus filter in (0, 1], 1 = off (default 1.0)
 * @param endOfThoughtToken id that ends a thought (default 4, {@code CharTokenizer.END_OF_THOUGHT}); a truncated
 *                          thought gets it appended, unsampled, before its answers
 * @param answerStopTokens  ids that end an answer (default {2}, {@code CharTokenizer.EOS})
 * @param prefixSharing     true (default): the prompt is computed once and each thought once, and the M answers
 *                          are forked from the thought's decoding state; false: every sequence is decoded from
 *                          scratch, as a generic {@code generate} call would (for benchmarks and tests)
 */
public record RolloutConfig(int thoughts, int answersPerThought, int maxThoughtTokens, int maxAnswerTokens,
                            double temperature, int topK, double topP, int endOfThoughtToken,
                            Set<Integer> answerStopTokens, boolean prefixSharing) {

    /** Validates every field; see the record components. */
    public RolloutConfig {
        require(thoughts >= 1, "thoughts", thoughts, "sample at least one thought per prompt (K >= 1)");
        require(answersPerThought >= 1, "answersPerThought", answersPerThought, "sample at least one answer per thought (M >= 1)");
        require(maxThoughtTokens >= 1, "maxThoughtTokens", maxThoughtTokens, "allow at least one thought token");
        require(maxAnswerTokens >= 1, "maxAnswerTokens", maxAnswerTokens, "allow at least one answer token");
        require(temperature > 0 && Double.isFinite(temperature), "temperature", temperature, "use a finite value > 0 (default 1.0)");
        require(topK >= 0, "topK", topK, "use 0 (off) or a positive number of tokens");
        require(topP > 0 && topP <= 1, "topP", topP, "use a value in (0, 1]; 1 turns it off");
        require(endOfThoughtToken >= 0, "endOfThoughtToken", endOfThoughtToken, "use the tokenizer's end-of-thought id");
        require(answerStopTokens != null && !answerStopTokens.isEmpty(), "answerStopTokens", answerStopTokens,
                "give at least one id that ends an answer (e.g. EOS)");
        answerStopTokens = Set.copyOf(answerStopTokens);
    }

    /** A builder holding the defaults listed on the record. */
    public static Builder builder() {
        return new Builder();
    }

    /** The sampler these settings describe. */
    public TokenSampler sampler() {
        return new TokenSampler(temperature, topK, topP);
    }

    /**
     * The warning a trainer logs once when it is built with top-k or top-p filtering on, or empty when both
     * are off: the recorded old log-probs (and so the PPO ratio) are those of the unfiltered
     * temperature-scaled policy, not of the filtered distribution the tokens were drawn from (as TRL's
     * synchronous GRPO; see {@link TokenSampler}). With filtering the two differ (by 0.26 nats on a tiny
     * model with top-k in issue 9), so the first-epoch ratio is still 1 but the update is off-policy by the
     * filter.
     */
    public java.util.Optional<String> filteringWarning() {
        if (topK == 0 && topP >= 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("RolloutConfig: top-k / top-p filtering is on (topK = " + topK + ", topP = "
                + topP + "): tokens are drawn from the filtered distribution, but the recorded old log-probs and the"
                + " loss use the unfiltered temperature-" + temperature + " policy (as TRL's synchronous GRPO), so"
                + " training is off-policy by the filter; set topK = 0 and topP = 1 for exact on-policy log-probs");
    }

    /**
     * Longest sequence a rollout can produce from a prompt of {@code promptLength} tokens:
     * prompt + thought (+ forced end-of-thought) + answer.
     */
    public int maxSequenceLength(int promptLength) {
        return promptLength + maxThoughtTokens + 1 + maxAnswerTokens;
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("RolloutConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private int thoughts = 4;
        private int answersPerThought = 4;
        private int maxThoughtTokens = 32;
        private int maxAnswerTokens = 8;
        private double temperature = 1.0;
        private int topK;
        private double topP = 1.0;
        private int endOfThoughtToken = 4;
        private Set<Integer> answerStopTokens = Set.of(2);
        private boolean prefixSharing = true;

        private Builder() {
        }

        public Builder thoughts(int v) {
            thoughts = v;
            return this;
        }

        public Builder answersPerThought(int v) {
            answersPerThought = v;
            return this;
        }

        public Builder maxThoughtTokens(int v) {
            maxThoughtTokens = v;
            return this;
        }

        public Builder maxAnswerTokens(int v) {
            maxAnswerTokens = v;
            return this;
        }

        public Builder temperature(double v) {
            temperature = v;
            return this;
        }

        public Builder topK(int v) {
            topK = v;
            return this;
        }

        public Builder topP(double v) {
            topP = v;
            return this;
        }

        public Builder endOfThoughtToken(int v) {
            endOfThoughtToken = v;
            return this;
        }

        public Builder answerStopTokens(Set<Integer> v) {
            answerStopTokens = v;
            return this;
        }

        public Builder prefixSharing(boolean v) {
            prefixSharing = v;
            return this;
        }

        public RolloutConfig build() {
            return new RolloutConfig(thoughts, answersPerThought, maxThoughtTokens, maxAnswerTokens, temperature, topK,
                    topP, endOfThoughtToken, answerStopTokens, prefixSharing);
        }
    }
}
