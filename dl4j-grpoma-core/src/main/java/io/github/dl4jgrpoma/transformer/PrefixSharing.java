package io.github.dl4jgrpoma.transformer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.policy.BatchRows;

/**
 * Computes the prefix (e.g. an image encoder) and the transformer over the prefix positions once per distinct
 * conditioning row of a batch, and lets every row's tokens attend to its row's prefix: a packed GRPO-MA batch has one
 * row per answer (K x M rows per prompt), all carrying the prompt's image, so without sharing the encoder and the
 * transformer over the N image positions would run K x M times per prompt in every update and reference forward.
 *
 * <p>Under the causal mask the prefix positions never attend to the tokens, so their hidden states depend on the
 * prefix alone and the sequence splits into two streams with the same weights:
 * <pre>
 *   u^0 = prefix + wpe[0..N-1]                     [P, N, D]   (P distinct rows)
 *   x^0 = onehot(tokens) · wte + wpe[N..N+T-1]     [R, T, D]
 *   layer l: q_u, k_u, v_u = qkv(u^l);   q_x, k_x, v_x = qkv(x^l)
 *            x^{l+1} = finish(x^l, attend(q_x, [E k_u | k_x], [E v_u | v_x], M_x))
 *            u^{l+1} = finish(u^l, attend(q_u, k_u, v_u, M_u))      (not needed after the last layer)
 *   E z     = reshape(rows · reshape(z, [P, H·N·dh]), [R, H, N, dh]),  rows = placeholder {@value TransformerPolicy#PREFIX_ROWS} [R, P]
 * </pre>
 * with {@code M_u} the causal mask over the N prefix positions and {@code M_x[t, s] = 0} for every prefix key
 * {@code s < N} and the token keys {@code s - N <= t}, else -1e9. This is exactly the one-stream forward over
 * {@code N + T} positions with the causal mask (same softmax over the same keys). {@code rows} is one-hot
 * ({@code rows[r, p] = 1} iff row r carries conditioning row p), so {@code E} picks whole prefix rows; a matmul rather
 * than {@code sd.gather}, whose gradient is wrong in M2.1: the matmul's gradient {@code rowsᵀ · dOut} sums the
 * contributions of all rows of an image into that image's keys and values, which is exactly the gradient of
 * computing every row separately. This requires the prefix to be row-wise (each output row depends only on its own
 * conditioning row), as the {@link EmbeddingPrefix} contract says. Our choice: rows are matched by equal values of
 * all their conditioning arrays ({@link #feed}), so any caller (packer, reference model, SFT) benefits without
 * knowing about it.
 */
final class PrefixSharing {
    private PrefixSharing() {
    }

    /**
     * The two streams' layers; adds the placeholder {@value TransformerPolicy#PREFIX_ROWS} and every layer's
     * variables (in layer order).
     *
     * @param prefix the prefix embeddings {@code [P, N, D]}
     * @param text   the token embeddings {@code [R, T, D]} (without positions)
     * @param wpe    the position embeddings {@code [N + T, D]}
     * @return the tokens' hidden states after the last layer, {@code [R, T, D]}
     */
    static SDVariable layers(SameDiff sd, TransformerInit init, TransformerConfig c, SDVariable prefix, SDVariable text,
                             SDVariable wpe, int n) {
        int t = c.maxLength();
        int d = c.width();
        int h = c.heads();
        int dh = c.headWidth();
        DataType dt = c.dataType();
        PackedRowInputs fixed = PackedRowInputs.fixedLength(sd);
        SDVariable rows = sd.placeHolder(TransformerPolicy.PREFIX_ROWS, dt, -1, -1);
        SDVariable u = prefix.add(sd.slice(wpe, new int[] {0, 0}, n, d));
        SDVariable x = text.add(sd.slice(wpe, new int[] {n, 0}, t, d));
        SDVariable maskU = sd.constant("prefix_causal_mask", PackedRowInputs.additiveCausalMask(n, dt));
        SDVariable maskX = sd.constant("token_mask", tokenMask(n, t, dt));
        for (int l = 0; l < c.layers(); l++) {
            TransformerLayer layer = new TransformerLayer(sd, init, c, l);
            boolean last = l == c.layers() - 1;
            SDVariable[] pu = last ? layer.kv(u, fixed, n) : layer.qkv(u, fixed, n);   // [q,] k, v
            SDVariable ku = pu[pu.length - 2];
            SDVariable vu = pu[pu.length - 1];
            SDVariable[] px = layer.qkv(x, fixed, t);
            SDVariable k = sd.concat(2, expand(sd, rows, ku, h, n, dh), px[1]);
            SDVariable v = sd.concat(2, expand(sd, rows, vu, h, n, dh), px[2]);
            x = layer.finish(x, layer.attend(px[0], k, v, maskX), fixed, t);
            if (!last) {
                u = layer.finish(u, layer.attend(pu[0], ku, vu, maskU), fixed, n);
            }
        }
        return x;
    }

    /** {@code rows [R,P] · z} for {@code z [P, dims...]}: {@code [R, dims...]}. */
    private static SDVariable expand(SameDiff sd, SDVariable rows, SDVariable z, long... dims) {
        long size = 1;
        for (long x : dims) {
            size *= x;
        }
        long[] shape = new long[dims.length + 1];
        shape[0] = -1;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return sd.reshape(rows.mmul(sd.reshape(z, -1, size)), shape);
    }

    /** The additive mask {@code [T, N+T]} of the token queries: 0 for the prefix keys and the causal token keys. */
    static INDArray tokenMask(int n, int t, DataType dt) {
        double[][] m = new double[t][n + t];
        for (int i = 0; i < t; i++) {
            for (int s = n + i + 1; s < n + t; s++) {
                m[i][s] = TransformerPolicy.MASK_VALUE;
            }
        }
        return Nd4j.createFromArray(m).castTo(dt);
    }

    /**
     * The conditioning of the distinct rows (first occurrence order) and the one-hot {@code [R, P]} row map, under
     * {@value TransformerPolicy#PREFIX_ROWS}.
     *
     * @param conditioning the batch's conditioning arrays, each {@code [R, ...]} (at least one)
     * @param dt           the model's floating-point type (of the row map)
     */
    static Map<String, INDArray> feed(Map<String, INDArray> conditioning, DataType dt) {
        int r = (int) conditioning.values().iterator().next().size(0);
        double[][][] values = new double[conditioning.size()][][];
        int k = 0;
        for (INDArray a : conditioning.values()) {
            values[k++] = a.reshape('c', r, a.length() / Math.max(1, r)).castTo(DataType.DOUBLE).toDoubleMatrix();
        }
        Map<RowKey, Integer> images = new HashMap<>();
        int[] rowImage = new int[r];
        for (int i = 0; i < r; i++) {
            double[][] key = new double[values.length][];
            for (int j = 0; j < values.length; j++) {
                key[j] = values[j][i];
            }
            rowImage[i] = images.computeIfAbsent(new RowKey(key), x -> images.size());
        }
        int p = images.size();
        int[] distinct = new int[p];
        for (int i = r - 1; i >= 0; i--) {
            distinct[rowImage[i]] = i;                                   // the first row of each image
        }
        Map<String, INDArray> out = new LinkedHashMap<>(BatchRows.select(conditioning, distinct));
        INDArray oneHot = Nd4j.zeros(dt, r, p);
        for (int i = 0; i < r; i++) {
            oneHot.putScalar(i, rowImage[i], 1.0);
        }
        out.put(TransformerPolicy.PREFIX_ROWS, oneHot);
        return out;
    }

    /** The values of one row of every conditioning array, compared by value. */
    private static final class RowKey {
        private final double[][] values;
        private final int hash;

        RowKey(double[][] values) {
            this.values = values;
            this.hash = Arrays.deepHashCode(values);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey k && Arrays.deepEquals(values, k.values);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
