package io.github.dl4jgrpoma.rollout;

import java.util.Arrays;

/**
 * One sampled answer: its tokens (the stop token included when one was sampled), the log-probability of each
 * token under the temperature-scaled sampling policy (see {@link TokenSampler}) and whether it hit the length cap
 * without a stop token. Immutable: arrays are copied in and out.
 */
public record AnswerRollout(int[] tokens, double[] logProbs, boolean truncated) {

    public AnswerRollout {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException("tokens (" + tokens.length + ") and logProbs (" + logProbs.length + ") differ in length");
        }
        tokens = tokens.clone();
        logProbs = logProbs.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public double[] logProbs() {
        return logProbs.clone();
    }

    /** Number of sampled tokens. */
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnswerRollout a && truncated == a.truncated && Arrays.equals(tokens, a.tokens)
                && Arrays.equals(logProbs, a.logProbs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs)) + Boolean.hashCode(truncated);
    }

    @Override
    public String toString() {
        return "AnswerRollout" + Arrays.toString(tokens) + (truncated ? " (truncated)" : "");
    }
}
