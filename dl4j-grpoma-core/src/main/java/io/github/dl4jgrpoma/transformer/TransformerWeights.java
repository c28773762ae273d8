package io.github.dl4jgrpoma.transformer;

import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight arrays of a {@link TransformerPolicy}, read by name from its graph at the start of a rollout (or from a
 * map of arrays by the same names, a frozen copy's). They are the given arrays, not copies.
 */
final class TransformerWeights {
    final TransformerConfig config;
    final INDArray wte;
    final INDArray wpe;
    final INDArray[] ln1g;
    final INDArray[] ln1b;
    final INDArray[] wqkv;
    final INDArray[] bqkv;
    final INDArray[] wo;
    final INDArray[] bo;
    final INDArray[] ln2g;
    final INDArray[] ln2b;
    final INDArray[] w1;
    final INDArray[] b1;
    final INDArray[] w2;
    final INDArray[] b2;
    final INDArray lnfg;
    final INDArray lnfb;
    final INDArray whead;
    final INDArray bhead;
    private final java.util.function.Function<String, INDArray> byName;

    TransformerWeights(TransformerPolicy p) {
        this(p.config(), p::weight);
    }

    /**
     * The arrays of a map by variable name.
     *
     * @throws IllegalArgumentException if a variable of the model is missing
     */
    TransformerWeights(TransformerConfig config, Map<String, INDArray> byName) {
        this(config, name -> {
            INDArray a = byName.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no array for the transformer variable '" + name + "'; pass every"
                        + " variable of TransformerPolicy.variableNames(" + config.layers() + ")");
            }
            return a;
        });
    }

    private TransformerWeights(TransformerConfig config, java.util.function.Function<String, INDArray> p) {
        this.config = config;
        this.byName = p;
        int layers = config.layers();
        wte = p.apply(TransformerPolicy.WTE);
        wpe = p.apply(TransformerPolicy.WPE);
        ln1g = new INDArray[layers];
        ln1b = new INDArray[layers];
        wqkv = new INDArray[layers];
        bqkv = new INDArray[layers];
        wo = new INDArray[layers];
        bo = new INDArray[layers];
        ln2g = new INDArray[layers];
        ln2b = new INDArray[layers];
        w1 = new INDArray[layers];
        b1 = new INDArray[layers];
        w2 = new INDArray[layers];
        b2 = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            ln1g[l] = p.apply(TransformerPolicy.layerVar(l, "ln1_g"));
            ln1b[l] = p.apply(TransformerPolicy.layerVar(l, "ln1_b"));
            wqkv[l] = p.apply(TransformerPolicy.layerVar(l, "wqkv"));
            bqkv[l] = p.apply(TransformerPolicy.layerVar(l, "bqkv"));
            wo[l] = p.apply(TransformerPolicy.layerVar(l, "wo"));
            bo[l] = p.apply(TransformerPolicy.layerVar(l, "bo"));
            ln2g[l] = p.apply(TransformerPolicy.layerVar(l, "ln2_g"));
            ln2b[l] = p.apply(TransformerPolicy.layerVar(l, "ln2_b"));
            w1[l] = p.apply(TransformerPolicy.layerVar(l, "w1"));
            b1[l] = p.apply(TransformerPolicy.layerVar(l, "b1"));
            w2[l] = p.apply(TransformerPolicy.layerVar(l, "w2"));
            b2[l] = p.apply(TransformerPolicy.layerVar(l, "b2"));
        }
        lnfg = p.apply(TransformerPolicy.LNF_G);
        lnfb = p.apply(TransformerPolicy.LNF_B);
        whead = p.apply(TransformerPolicy.W_HEAD);
        bhead = p.apply(TransformerPolicy.B_HEAD);
    }

    /** The array of a variable by name ({@link TransformerPolicy#variableNames}). */
    INDArray byName(String name) {
        return byName.apply(name);
    }
}
