package io.github.dl4jgrpoma.policy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row selection along the batch dimension (dimension 0) of arrays of any rank, as decoders need when they fork
 * rows: {@code select(a, {0,0,1})} is {@code [a[0], a[0], a[1]]}. Plain INDArray ops (device-agnostic); the
 * result is a new array.
 */
public final class BatchRows {
    private BatchRows() {
    }

    /**
     * Rows {@code rows} of {@code a} ({@code [B, ...]}), in order and possibly repeated.
     *
     * @throws IllegalArgumentException for a scalar input or a row outside {@code [0, B)}
     */
    public static INDArray select(INDArray a, int[] rows) {
        if (a.rank() == 0) {
            throw new IllegalArgumentException("cannot select rows of a scalar; conditioning arrays are [batch, ...]");
        }
        long b = a.size(0);
        for (int r : rows) {
            if (r < 0 || r >= b) {
                throw new IllegalArgumentException("row " + r + " is outside [0, " + b + ")");
            }
        }
        long[] shape = a.shape().clone();
        INDArray flat = a.reshape('c', b, a.length() / Math.max(1, b));
        INDArray picked = Nd4j.pullRows(flat, 1, rows);
        shape[0] = rows.length;
        return picked.reshape('c', shape);
    }

    /** {@link #select(INDArray, int[])} applied to every array of a map (insertion order kept). */
    public static Map<String, INDArray> select(Map<String, INDArray> arrays, int[] rows) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        arrays.forEach((name, a) -> out.put(name, select(a, rows)));
        return out;
    }
}
