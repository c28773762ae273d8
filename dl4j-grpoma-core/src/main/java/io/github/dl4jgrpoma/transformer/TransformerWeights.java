package io.github.dl4jgrpoma.transformer;

import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The weight arrays of a {@link TransformerPolicy}, read by name from its graph at the start of a rollout.
 * They are the graph's own arrays ({@code sd.getVariable(name).getArr()}), not copies.
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

    TransformerWeights(TransformerPolicy p) {
        this.config = p.config();
        int layers = config.layers();
        wte = p.weight(TransformerPolicy.WTE);
        wpe = p.weight(TransformerPolicy.WPE);
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
            ln1g[l] = p.weight(TransformerPolicy.layerVar(l, "ln1_g"));
            ln1b[l] = p.weight(TransformerPolicy.layerVar(l, "ln1_b"));
            wqkv[l] = p.weight(TransformerPolicy.layerVar(l, "wqkv"));
            bqkv[l] = p.weight(TransformerPolicy.layerVar(l, "bqkv"));
            wo[l] = p.weight(TransformerPolicy.layerVar(l, "wo"));
            bo[l] = p.weight(TransformerPolicy.layerVar(l, "bo"));
            ln2g[l] = p.weight(TransformerPolicy.layerVar(l, "ln2_g"));
            ln2b[l] = p.weight(TransformerPolicy.layerVar(l, "ln2_b"));
            w1[l] = p.weight(TransformerPolicy.layerVar(l, "w1"));
            b1[l] = p.weight(TransformerPolicy.layerVar(l, "b1"));
            w2[l] = p.weight(TransformerPolicy.layerVar(l, "w2"));
            b2[l] = p.weight(TransformerPolicy.layerVar(l, "b2"));
        }
        lnfg = p.weight(TransformerPolicy.LNF_G);
        lnfb = p.weight(TransformerPolicy.LNF_B);
        whead = p.weight(TransformerPolicy.W_HEAD);
        bhead = p.weight(TransformerPolicy.B_HEAD);
    }
}
