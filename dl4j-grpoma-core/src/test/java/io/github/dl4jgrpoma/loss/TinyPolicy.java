package io.github.dl4jgrpoma.loss;

import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.SafeOps;

/**
 * A tiny DOUBLE model producing logits {@code [B,T,V]} from input tokens, to check the loss gradient with
 * respect to real parameters: one-hot x embedding -> tanh dense -> output projection.
 */
final class TinyPolicy {
    static final String TOKENS = "tokens";

    private TinyPolicy() {
    }

    /** Builds the model in {@code sd} and returns its logits. Weights come from {@code new Random(seed)}. */
    static SDVariable build(SameDiff sd, int t, int v, int d, int h, long seed) {
        Random rnd = new Random(seed);
        SDVariable tokens = sd.placeHolder(TOKENS, DataType.INT32, -1, t);
        SDVariable emb = sd.var("emb", gaussian(rnd, 0.8, v, d));
        SDVariable w1 = sd.var("w1", gaussian(rnd, 0.6, d, h));
        SDVariable b1 = sd.var("b1", gaussian(rnd, 0.1, h));
        SDVariable wOut = sd.var("w_out", gaussian(rnd, 0.8, h, v));
        SDVariable bOut = sd.var("b_out", gaussian(rnd, 0.1, v));
        SDVariable x = sd.reshape(SafeOps.oneHot(sd, tokens, v, DataType.DOUBLE), -1, v).mmul(emb);
        SDVariable hidden = sd.math.tanh(x.mmul(w1).add(b1));
        return sd.reshape(hidden.mmul(wOut).add(bOut), -1, t, v).rename("logits");
    }

    /** Random input token ids. */
    static INDArray tokens(int b, int t, int v, long seed) {
        Random rnd = new Random(seed);
        int[][] ids = new int[b][t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                ids[i][j] = rnd.nextInt(v);
            }
        }
        return Nd4j.createFromArray(ids);
    }

    private static INDArray gaussian(Random rnd, double scale, long... shape) {
        INDArray a = Nd4j.zeros(DataType.DOUBLE, shape);
        INDArray flat = a.reshape(a.length());
        for (long i = 0; i < a.length(); i++) {
            flat.putScalar(i, scale * rnd.nextGaussian());
        }
        return a;
    }
}
