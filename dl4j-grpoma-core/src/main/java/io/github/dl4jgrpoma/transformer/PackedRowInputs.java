package io.github.dl4jgrpoma.transformer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * The graph pieces and placeholder values that let {@link TransformerPolicy} read position ids and an attention mask
 * ({@link PolicyInput#positions()}, {@link PolicyInput#attentionMask()}), so one row may hold several sequences (a
 * thought and its M answers: tree-packed rows) of any length {@code L}.
 *
 * <ul>
 *   <li>Position embedding {@code onehot(positions[b,t], T) · wpe}, shape {@code [B,L,D]}: one-hot × matmul
 *       instead of {@code sd.gather} (wrong gradient in M2.1); exact, since a one-hot row picks one row of
 *       {@code wpe}.</li>
 *   <li>Additive attention mask {@code (1 - mask[b,t,s]) · MASK_VALUE}, shape {@code [B,1,L,L]} (broadcast over
 *       heads): 0 where query {@code t} may attend to key {@code s}, {@code -1e9} elsewhere, the same values as the
 *       constant causal mask for a causal 0/1 mask.</li>
 *   <li>Row-dependent reshapes {@code [B·L, ...] -> [B, L, ...]} with the shape read from the tokens at run time.</li>
 * </ul>
 * Without position ids or a mask in the input, {@link #feed} supplies {@code 0..L-1} and the causal mask, so the
 * logits are bit-identical to those of a constant causal mask and {@code + wpe}.
 */
final class PackedRowInputs {
    private final SameDiff sd;
    private final SDVariable rowShape;

    private PackedRowInputs(SameDiff sd, SDVariable tokens) {
        this.sd = sd;
        this.rowShape = tokens == null ? null : sd.shape(tokens).castTo(DataType.INT64);     // [B, L]
    }

    /** Pieces for a graph whose token placeholder is {@code tokens [B, L]} (L read at run time). */
    static PackedRowInputs of(SameDiff sd, SDVariable tokens) {
        return new PackedRowInputs(sd, tokens);
    }

    /** Reshapes only, for a graph of fixed row length (a model with an image prefix). */
    static PackedRowInputs fixedLength(SameDiff sd) {
        return new PackedRowInputs(sd, null);
    }

    /**
     * {@code flat [B·L, trailing...]} reshaped to {@code [B, L, trailing...]}: L from the tokens at run time, or
     * {@code length} for a {@link #fixedLength} graph.
     */
    SDVariable rows(SDVariable flat, int length, long... trailing) {
        if (rowShape != null) {
            return sd.reshape(flat, sd.concat(0, rowShape, sd.constant(Nd4j.createFromArray(trailing))));
        }
        long[] shape = new long[trailing.length + 2];
        shape[0] = -1;
        shape[1] = length;
        System.arraycopy(trailing, 0, shape, 2, trailing.length);
        return sd.reshape(flat, shape);
    }

    /** The constant additive causal mask {@code [t,t]} of a fixed-length graph: 0 on and below the diagonal, else -1e9. */
    static INDArray additiveCausalMask(int t, DataType dt) {
        return causal(1, t, DataType.DOUBLE).reshape(t, t).rsub(1.0).muli(TransformerPolicy.MASK_VALUE).castTo(dt);
    }

    /** {@code onehot(positions, maxLength) · wpe}, {@code [B,L,D]}. */
    SDVariable positionEmbeddings(SDVariable positions, SDVariable wpe, int maxLength, int width, DataType dt) {
        SDVariable oneHot = sd.reshape(SafeOps.oneHot(sd, positions, maxLength, dt), -1, maxLength);
        return rows(oneHot.mmul(wpe), -1, width);
    }

    /** {@code (1 - mask) · MASK_VALUE} with a heads dimension, {@code [B,1,L,L]}. */
    SDVariable additiveMask(SDVariable mask) {
        return sd.expandDims(mask.rsub(1.0).mul(TransformerPolicy.MASK_VALUE), 1);
    }

    /**
     * The position ids and attention mask to feed for an input: the input's own, or {@code 0..L-1} and the causal
     * mask. The mask is cast to the model's type.
     *
     * @throws IllegalArgumentException if a position id is outside {@code [0, maxLength)}
     */
    static Map<String, INDArray> feed(PolicyInput input, int maxLength, DataType dt) {
        int b = input.batchSize();
        int l = input.length();
        INDArray positions = input.positions().orElseGet(() -> defaultPositions(b, l));
        if (input.positions().isPresent()) {
            long min = positions.minNumber().longValue();
            long max = positions.maxNumber().longValue();
            if (min < 0 || max >= maxLength) {
                throw new IllegalArgumentException("PolicyInput.positions holds ids in [" + min + ", " + max
                        + "] but the transformer has " + maxLength + " positions; keep every sequence of a packed row"
                        + " within maxLength = " + maxLength + " tokens");
            }
        }
        INDArray mask = input.attentionMask().map(m -> m.castTo(dt)).orElseGet(() -> causal(b, l, dt));
        Map<String, INDArray> out = new HashMap<>();
        out.put(TransformerPolicy.POSITIONS, positions.castTo(DataType.INT32));
        out.put(TransformerPolicy.ATTENTION_MASK, mask);
        return out;
    }

    private static INDArray defaultPositions(int b, int l) {
        int[][] p = new int[b][l];
        for (int[] row : p) {
            Arrays.setAll(row, i -> i);
        }
        return Nd4j.createFromArray(p);
    }

    private static INDArray causal(int b, int l, DataType dt) {
        double[] m = new double[l * l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j <= i; j++) {
                m[i * l + j] = 1;
            }
        }
        return Nd4j.tile(Nd4j.create(m, new long[] {1, l, l}, DataType.DOUBLE).castTo(dt), b, 1, 1);
    }
}
