package io.github.dl4jgrpoma.rollout;

/**
 * One sampled token and its log-probability under the temperature-scaled policy (see {@link TokenSampler}).
 *
 * @param token   the token id
 * @param logProb {@code log softmax(logits / temperature)[token]}, before top-k / top-p filtering
 */
public record SampledToken(int token, double logProb) {
}
