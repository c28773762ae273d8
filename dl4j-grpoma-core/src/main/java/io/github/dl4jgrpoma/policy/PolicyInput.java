package io.github.dl4jgrpoma.policy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything a policy's forward pass reads for a batch of {@code B} rows: token ids {@code [B,T]} (integer),
 * named conditioning arrays {@code [B, ...]} (for example {@code pixels [B,C,H,W]} for a vision-language policy,
 * or {@code class [B]} ids) and, for packed rows that hold several sequences, optional position ids {@code [B,T]}
 * (integer) and an attention mask {@code [B,T,T]} (1 where query position {@code t} may attend to key position
 * {@code s}, else 0).
 *
 * <p>The policy turns it into its own graph's placeholders ({@link PolicyModel#feed}); rollouts, the packer, the
 * reference model and SFT all build a {@code PolicyInput} and never touch placeholder names. Immutable as far as
 * Java allows: the map is copied; the arrays are not (callers hand over arrays they no longer change).
 */
public final class PolicyInput {
    private final INDArray tokens;
    private final Map<String, INDArray> conditioning;
    private final INDArray positions;
    private final INDArray attentionMask;

    private PolicyInput(INDArray tokens, Map<String, INDArray> conditioning, INDArray positions, INDArray attentionMask) {
        if (tokens == null || tokens.rank() != 2 || !tokens.dataType().isIntType()) {
            throw new IllegalArgumentException("PolicyInput.tokens must be an integer [batch, T] array, got "
                    + (tokens == null ? "null" : tokens.dataType() + " " + Arrays.toString(tokens.shape())));
        }
        long b = tokens.size(0);
        Map<String, INDArray> cond = new LinkedHashMap<>();
        conditioning.forEach((name, a) -> {
            if (name == null || a == null || a.rank() == 0 || a.size(0) != b) {
                throw new IllegalArgumentException("PolicyInput.conditioning '" + name + "' must be a [batch = " + b
                        + ", ...] array, got " + (a == null ? "null" : Arrays.toString(a.shape())));
            }
            cond.put(name, a);
        });
        if (positions != null && (!positions.dataType().isIntType() || !Arrays.equals(positions.shape(), tokens.shape()))) {
            throw new IllegalArgumentException("PolicyInput.positions must be an integer array shaped like tokens "
                    + Arrays.toString(tokens.shape()) + ", got " + positions.dataType() + " " + Arrays.toString(positions.shape()));
        }
        if (attentionMask != null && !Arrays.equals(attentionMask.shape(), new long[] {b, tokens.size(1), tokens.size(1)})) {
            throw new IllegalArgumentException("PolicyInput.attentionMask must be [batch, T, T] = [" + b + ", " + tokens.size(1)
                    + ", " + tokens.size(1) + "], got " + Arrays.toString(attentionMask.shape()));
        }
        this.tokens = tokens;
        this.conditioning = java.util.Collections.unmodifiableMap(cond);
        this.positions = positions;
        this.attentionMask = attentionMask;
    }

    /** Token ids only (a text policy). */
    public static PolicyInput of(INDArray tokens) {
        return new PolicyInput(tokens, Map.of(), null, null);
    }

    /** Token ids and named conditioning arrays, each {@code [B, ...]}. */
    public static PolicyInput of(INDArray tokens, Map<String, INDArray> conditioning) {
        return new PolicyInput(tokens, conditioning == null ? Map.of() : conditioning, null, null);
    }

    /** A copy with position ids {@code [B,T]} (packed rows). */
    public PolicyInput withPositions(INDArray positionIds) {
        return new PolicyInput(tokens, conditioning, positionIds, attentionMask);
    }

    /** A copy with an attention mask {@code [B,T,T]} (packed rows). */
    public PolicyInput withAttentionMask(INDArray mask) {
        return new PolicyInput(tokens, conditioning, positions, mask);
    }

    /** Token ids {@code [B,T]}. */
    public INDArray tokens() {
        return tokens;
    }

    /** Conditioning arrays by name, each {@code [B, ...]}; unmodifiable, empty for a text-only input. */
    public Map<String, INDArray> conditioning() {
        return conditioning;
    }

    /** Position ids {@code [B,T]}, when the rows are packed. */
    public Optional<INDArray> positions() {
        return Optional.ofNullable(positions);
    }

    /** Attention mask {@code [B,T,T]}, when the rows are packed. */
    public Optional<INDArray> attentionMask() {
        return Optional.ofNullable(attentionMask);
    }

    /** Number of rows B. */
    public int batchSize() {
        return (int) tokens.size(0);
    }

    /** Sequence length T of the token array. */
    public int length() {
        return (int) tokens.size(1);
    }

    /** The rows {@code rows} of every array (see {@link BatchRows#select(INDArray, int[])}). */
    public PolicyInput rows(int[] rows) {
        return new PolicyInput(BatchRows.select(tokens, rows), BatchRows.select(conditioning, rows),
                positions == null ? null : BatchRows.select(positions, rows),
                attentionMask == null ? null : BatchRows.select(attentionMask, rows));
    }
}
