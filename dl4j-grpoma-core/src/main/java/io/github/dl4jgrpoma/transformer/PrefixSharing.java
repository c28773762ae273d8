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
 * Computes the prefix (e.g. an image encoder) once per distinct conditioning row of a batch and expands it to the
 * rows: a packed GRPO-MA batch has one row per answer (K x M rows per prompt), all carrying the prompt's image, so
 * without sharing the encoder would run K x M times per prompt in every update and reference forward.
 *
 * <pre>
 *   prefix  = build(distinct conditioning)                     [P, N, D]   (P distinct rows)
 *   rows    = placeholder {@value TransformerPolicy#PREFIX_ROWS}   [R, P]      one-hot: rows[r, p] = 1 iff row r carries image p
 *   out     = reshape(rows · reshape(prefix, [P, N·D]), [R, N, D])
 * </pre>
 * A one-hot matrix times matmul instead of {@code sd.gather}, whose gradient is wrong in M2.1: the matmul's
 * gradient {@code rowsᵀ · dOut} sums the contributions of all rows of an image into that image's prefix, which is
 * exactly the gradient of encoding every row separately (each one-hot row picks one image, so the forward is exact
 * too). This requires the prefix to be row-wise (each output row depends only on its own conditioning row), as the
 * {@link EmbeddingPrefix} contract says. Our choice: rows are matched by equal values of all their conditioning
 * arrays, so any caller (packer, reference model, SFT) benefits without knowing about it.
 */
final class PrefixSharing {
    private PrefixSharing() {
    }

    /** Adds the placeholder {@value TransformerPolicy#PREFIX_ROWS} and returns the prefix expanded to the rows. */
    static SDVariable expand(SameDiff sd, SDVariable prefix, int length, int width, DataType dt) {
        SDVariable rows = sd.placeHolder(TransformerPolicy.PREFIX_ROWS, dt, -1, -1);
        return sd.reshape(rows.mmul(sd.reshape(prefix, -1, (long) length * width)), -1, length, width);
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
