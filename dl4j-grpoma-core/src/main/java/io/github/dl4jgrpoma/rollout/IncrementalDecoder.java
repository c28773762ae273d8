package io.github.dl4jgrpoma.rollout;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Token-by-token decoding of a causal language model for rollouts.
 *
 * <p>A decoder turns a batch of prefixes into a {@link DecodingState}; the state then grows one token per row
 * per {@link DecodingState#append} and can be {@link DecodingState#fork forked}: its rows copied (and repeated)
 * into an independent state. Forking is what lets the K×M rollout compute a prompt once and a thought once and
 * branch the M answers from it. Implementations: {@link KvCacheDecoder} (the built-in transformer, key/value
 * cache), {@link RecomputeDecoder} (any {@link io.github.dl4jgrpoma.policy.PolicyModel}, full forward each step);
 * a recurrent policy would keep its hidden state per row and copy it in {@code fork}.
 */
public interface IncrementalDecoder {

    /** Vocabulary size V of the logits. */
    int vocabSize();

    /** Longest sequence (prefix plus generated tokens) a row may reach. */
    int maxLength();

    /**
     * Processes a batch of prefixes (each at least one token; lengths may differ) with their conditioning arrays
     * ({@code [prefixes.length, ...]} by name, as the model's {@code conditioningNames()}; empty for a text model).
     * The returned state's {@link DecodingState#nextLogits()} row {@code b} scores the token following
     * {@code prefixes[b]}; forks of the state keep each row's conditioning.
     *
     * @throws IllegalArgumentException for an empty prefix, a prefix longer than {@link #maxLength()}, an id
     *                                  outside {@code [0, V)}, or conditioning that does not match the model or
     *                                  the number of prefixes
     */
    DecodingState prefill(int[][] prefixes, Map<String, INDArray> conditioning);

    /** {@link #prefill(int[][], Map)} without conditioning (a text-only model). */
    default DecodingState prefill(int[][] prefixes) {
        return prefill(prefixes, Map.of());
    }
}
