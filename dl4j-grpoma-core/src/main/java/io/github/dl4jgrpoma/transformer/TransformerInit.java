package io.github.dl4jgrpoma.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded variable factory of {@link TransformerPolicy}: matrices from {@code N(0, initStd²)} drawn with a
 * {@link Random} seeded by {@code config.seed()} in creation order, vectors of ones or zeros; records the names in
 * creation order.
 */
final class TransformerInit {
    private final SameDiff sd;
    private final TransformerConfig c;
    private final Random random;
    private final List<String> names = new ArrayList<>();

    TransformerInit(SameDiff sd, TransformerConfig c) {
        this.sd = sd;
        this.c = c;
        this.random = new Random(c.seed());
    }

    SDVariable matrix(String name, int rows, int cols) {
        double[] w = new double[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = random.nextGaussian() * c.initStd();
        }
        return add(name, Nd4j.create(w, new long[] {rows, cols}, DataType.DOUBLE));
    }

    SDVariable ones(String name, int n) {
        return add(name, Nd4j.ones(DataType.DOUBLE, n));
    }

    SDVariable zeros(String name, int n) {
        return add(name, Nd4j.zeros(DataType.DOUBLE, n));
    }

    /** The names created so far, in order. */
    List<String> names() {
        return names;
    }

    private SDVariable add(String name, INDArray value) {
        names.add(name);
        return sd.var(name, value.castTo(c.dataType()));
    }
}
