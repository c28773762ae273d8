package io.github.dl4jgrpoma.transformer;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.rollout.DecodingState;
import io.github.dl4jgrpoma.rollout.PolicyDecoder;

import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * Key/value-cache decoder for the built-in {@link TransformerPolicy}, in plain INDArray ops (device-agnostic).
 *
 * <p>It reads the graph's weight arrays by name at every {@link #prefill} (so a rollout always sees the current
 * weights, without copying them) and reproduces the SameDiff forward pass of {@link TransformerPolicy} exactly,
 * op for op (LayerNorm, GELU and softmax are the same ND4J ops), so its logits equal the full forward at every
 * position up to float rounding. Per row it caches the keys and values of every consumed token
 * ({@code [rows, H, slots, dh]} per layer); a new token costs one row of each matmul plus attention over the
 * cached slots. Rows of different lengths share slot indices: a row's unused slots (left padding of a shorter
 * prefix, steps in which it was inactive) are masked out of attention with an additive {@code -1e9} and do not
 * advance its position, so each row sees exactly its own tokens at positions {@code 0, 1, 2, ...}. A model with
 * an {@link EmbeddingPrefix} (image tokens) computes the prefix embeddings from the rows' conditioning once in
 * {@link #prefill} and caches them in the first slots; forks copy them with the rest of the cache.
 *
 * <p>Speed: the intermediates of a step are allocated in a per-thread ND4J workspace (one reused block instead
 * of an off-heap allocation per op), the affine maps are BLAS products into c-ordered arrays, and a single-token step
 * computes attention by broadcast multiply and sum instead of {@code rows * H} tiny matrix products. At the sizes
 * of the examples a step costs a few milliseconds and is dominated by per-op overhead, so batching many rows
 * (all thoughts of all prompts, then all answers) is what makes decoding fast. A {@linkplain DecodingState#close()
 * closed} state frees its caches at once ({@link io.github.dl4jgrpoma.rollout.RolloutEngine} closes every state it is
 * done with), and the caches grow beyond the model's maximum length (plus the prefix) only by the slots that hold no
 * token of a row: left padding, steps in which a row was inactive, and the other branches' slots of a branched state
 * (see {@link KvCacheState}).
 */
public final class KvCacheDecoder extends PolicyDecoder {
    private final TransformerPolicy policy;

    public KvCacheDecoder(TransformerPolicy policy) {
        super(policy);
        this.policy = policy;
    }

    @Override
    protected DecodingState start(int[][] prefixes, Map<String, INDArray> conditioning) {
        int n = 0;
        for (int[] prefix : prefixes) {
            n = Math.max(n, prefix.length);
        }
        int[][] tokens = new int[prefixes.length][n];
        boolean[][] valid = new boolean[prefixes.length][n];
        for (int b = 0; b < prefixes.length; b++) {
            int pad = n - prefixes[b].length;
            for (int i = 0; i < prefixes[b].length; i++) {
                tokens[b][pad + i] = prefixes[b][i];
                valid[b][pad + i] = true;
            }
        }
        int prefix = policy.prefixLength();
        KvCacheState state = new KvCacheState(new TransformerWeights(policy), prefixes.length, prefix + n + 32, prefix);
        if (prefix > 0) {
            state.consumePrefix(policy.prefixEmbeddings(conditioning));      // e.g. the image tokens, once per row
        }
        state.consume(tokens, valid);
        return state;
    }
}
