package io.github.dl4jgrpoma.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Policy weights as one byte array: the parameter count, then per parameter its name and the array in ND4J's
 * binary format ({@code Nd4j.write}: data type, shape and raw values), so decoding gives the bits that were
 * encoded. Our choice over {@code SameDiff.save}: only the trainable arrays travel (no graph, no Adam state).
 */
public final class WeightsCodec {
    private WeightsCodec() {
    }

    /** Encodes the arrays in map order. */
    public static byte[] encode(Map<String, INDArray> parameters) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(parameters.size());
            for (Map.Entry<String, INDArray> e : parameters.entrySet()) {
                out.writeUTF(e.getKey());
                Nd4j.write(e.getValue(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("encoding policy weights failed", e);
        }
        return bytes.toByteArray();
    }

    /** Decodes the arrays, in the order they were encoded. */
    public static Map<String, INDArray> decode(byte[] encoded) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                out.put(name, Nd4j.read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("decoding policy weights failed (corrupt broadcast?)", e);
        }
        return out;
    }

    /**
     * Overwrites a policy's live parameters with encoded ones.
     *
     * @param target the policy's {@code parameters()} (live arrays, assigned in place)
     * @throws IllegalArgumentException if the names, shapes or data types differ, naming the first difference
     */
    public static void apply(byte[] encoded, Map<String, INDArray> target) {
        Map<String, INDArray> source = decode(encoded);
        if (!source.keySet().equals(target.keySet())) {
            throw new IllegalArgumentException("broadcast weights hold parameters " + source.keySet()
                    + " but the worker's policy has " + target.keySet()
                    + "; fix: RolloutWorkerSpec.newPolicy() must build the trainer policy's architecture");
        }
        for (Map.Entry<String, INDArray> e : target.entrySet()) {
            INDArray from = source.get(e.getKey());
            INDArray to = e.getValue();
            if (!Arrays.equals(from.shape(), to.shape()) || from.dataType() != to.dataType()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is " + from.dataType()
                        + Arrays.toString(from.shape()) + " in the broadcast but " + to.dataType() + Arrays.toString(to.shape())
                        + " in the worker's policy; fix: RolloutWorkerSpec.newPolicy() must build the trainer policy's architecture");
            }
            to.assign(from);
        }
    }
}
