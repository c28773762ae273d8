package io.github.dl4jgrpoma.rollout;

import java.util.Arrays;
import java.util.List;

/**
 * One sampled thought and the M answers sampled after it.
 *
 * <p>{@link #tokens()} are the sampled thought tokens (the end-of-thought token included when it was sampled)
 * with their log-probabilities. A truncated thought (cap reached without end-of-thought) was followed by an
 * end-of-thought token that was <em>not</em> sampled: {@link #contextTokens()} is what the answers were
 * conditioned on (tokens plus that forced token), and a trainer must feed it but give the forced token no loss.
 * The full sequence of answer j is {@code prompt + contextTokens() + answers().get(j).tokens()}.
 */
public record ThoughtRollout(int[] tokens, double[] logProbs, boolean truncated, int[] contextTokens,
                             List<AnswerRollout> answers) {

    public ThoughtRollout {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException("tokens (" + tokens.length + ") and logProbs (" + logProbs.length + ") differ in length");
        }
        tokens = tokens.clone();
        logProbs = logProbs.clone();
        contextTokens = contextTokens.clone();
        answers = List.copyOf(answers);
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public double[] logProbs() {
        return logProbs.clone();
    }

    @Override
    public int[] contextTokens() {
        return contextTokens.clone();
    }

    /** Number of sampled thought tokens. */
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThoughtRollout t && truncated == t.truncated && Arrays.equals(tokens, t.tokens)
                && Arrays.equals(logProbs, t.logProbs) && Arrays.equals(contextTokens, t.contextTokens)
                && answers.equals(t.answers);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs)) + answers.hashCode();
    }

    @Override
    public String toString() {
        return "ThoughtRollout" + Arrays.toString(tokens) + (truncated ? " (truncated)" : "") + " -> " + answers;
    }
}
