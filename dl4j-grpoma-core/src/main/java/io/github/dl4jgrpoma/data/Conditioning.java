package io.github.dl4jgrpoma.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The conditioning arrays of one example (one prompt or one SFT trace), by name and without the batch dimension:
 * for example {@code pixels -> [1, 28, 56]}. Batches of examples become the {@code [B, ...]} arrays of a
 * {@link io.github.dl4jgrpoma.policy.PolicyInput} through {@link #stack(List)}.
 *
 * <p>Immutable: arrays are copied in and out. Equality compares names, shapes and values.
 */
public final class Conditioning {
    private static final Conditioning NONE = new Conditioning(Map.of());
    private final Map<String, INDArray> arrays;

    private Conditioning(Map<String, INDArray> arrays) {
        Map<String, INDArray> copy = new TreeMap<>();
        arrays.forEach((name, a) -> {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Conditioning: a name is blank; name each array after the policy's"
                        + " conditioning placeholder (e.g. \"pixels\")");
            }
            if (a == null) {
                throw new IllegalArgumentException("Conditioning '" + name + "' is null; pass an array (without the batch dimension)");
            }
            copy.put(name, a.dup());
        });
        this.arrays = Collections.unmodifiableMap(copy);
    }

    /** No conditioning (a text-only example). */
    public static Conditioning none() {
        return NONE;
    }

    /** One named array, without the batch dimension. */
    public static Conditioning of(String name, INDArray value) {
        return new Conditioning(Map.of(name, value));
    }

    /** Several named arrays, each without the batch dimension. */
    public static Conditioning of(Map<String, INDArray> arrays) {
        return arrays == null || arrays.isEmpty() ? NONE : new Conditioning(arrays);
    }

    /** The names, sorted. */
    public Set<String> names() {
        return arrays.keySet();
    }

    /** True when there is no array. */
    public boolean isEmpty() {
        return arrays.isEmpty();
    }

    /**
     * A copy of the array of a name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public INDArray get(String name) {
        INDArray a = arrays.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no conditioning array '" + name + "'; this example has " + names());
        }
        return a.dup();
    }

    /**
     * Stacks the examples' arrays along a new batch dimension: name {@code ->} {@code [rows.size(), ...]}.
     *
     * @throws IllegalArgumentException if the examples do not all have the same names and shapes
     */
    public static Map<String, INDArray> stack(List<Conditioning> rows) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (rows.isEmpty() || rows.get(0).isEmpty()) {
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).isEmpty()) {
                    throw new IllegalArgumentException("example " + i + " has conditioning " + rows.get(i).names()
                            + " but example 0 has none; every example of a batch needs the same conditioning");
                }
            }
            return out;
        }
        Conditioning first = rows.get(0);
        for (String name : first.names()) {
            long[] shape = first.arrays.get(name).shape();
            List<INDArray> parts = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                INDArray a = rows.get(i).arrays.get(name);
                if (!rows.get(i).names().equals(first.names()) || a == null || !Arrays.equals(a.shape(), shape)) {
                    throw new IllegalArgumentException("example " + i + " has conditioning " + rows.get(i).describe()
                            + " but example 0 has " + first.describe() + "; every example of a batch needs the same names and shapes");
                }
                long[] withBatch = new long[shape.length + 1];
                withBatch[0] = 1;
                System.arraycopy(shape, 0, withBatch, 1, shape.length);
                parts.add(a.reshape('c', withBatch));
            }
            out.put(name, Nd4j.concat(0, parts.toArray(new INDArray[0])));
        }
        return out;
    }

    private String describe() {
        StringBuilder sb = new StringBuilder("{");
        arrays.forEach((n, a) -> sb.append(sb.length() > 1 ? ", " : "").append(n).append(Arrays.toString(a.shape())));
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Conditioning c && arrays.equals(c.arrays);
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue().shape());
        }
        return h;
    }

    @Override
    public String toString() {
        return "Conditioning" + describe();
    }
}
