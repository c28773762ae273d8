package io.github.dl4jgrpoma.multimodal.vision;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Creates the trainable variables of an encoder or projector in a graph, seeded and named, and records their
 * names in creation order (the order in which they are drawn, so the same seed gives the same weights).
 * Weights are drawn from {@code N(0, std²)} with a {@link Random} of its own (independent of ND4J's global
 * generator); biases are zero. Not thread-safe.
 */
public final class ParameterFactory {
    private final SameDiff sd;
    private final DataType dataType;
    private final Random random;
    private final List<String> names = new ArrayList<>();

    /**
     * @param sd       graph that receives the variables
     * @param dataType FLOAT or DOUBLE (DOUBLE for gradient checks)
     * @param seed     seed of the weight draws
     */
    public ParameterFactory(SameDiff sd, DataType dataType, long seed) {
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("ParameterFactory: dataType must be FLOAT or DOUBLE, got " + dataType);
        }
        this.sd = sd;
        this.dataType = dataType;
        this.random = new Random(seed);
    }

    /** The graph the variables go into. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** Floating-point type of the variables. */
    public DataType dataType() {
        return dataType;
    }

    /** A variable of the given shape drawn from {@code N(0, std²)}. */
    public SDVariable normal(String name, double std, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] w = new double[Math.toIntExact(n)];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian() * std;
        }
        return add(name, Nd4j.create(w, shape, DataType.DOUBLE));
    }

    /** A zero variable of the given shape. */
    public SDVariable zeros(String name, long... shape) {
        return add(name, Nd4j.zeros(DataType.DOUBLE, shape));
    }

    /** Names of the variables created so far, in creation order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    private SDVariable add(String name, INDArray value) {
        if (sd.hasVariable(name)) {
            throw new IllegalArgumentException("ParameterFactory: the graph already has a variable '" + name + "'");
        }
        names.add(name);
        return sd.var(name, value.castTo(dataType));
    }
}
