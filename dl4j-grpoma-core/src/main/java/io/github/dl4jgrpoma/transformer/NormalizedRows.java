package io.github.dl4jgrpoma.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LayerNorm over the last dimension of {@code x [N, D]} as libnd4j's {@code layer_norm} computes it (no epsilon:
 * {@code xhat = (x - mean) / sqrt(var)} with the biased variance, measured against the op in double precision), keeping
 * {@code xhat} and {@code 1/sqrt(var)} for the backward pass.
 */
final class NormalizedRows {
    /** {@code (x - mean) / std}, {@code [N, D]}. */
    final INDArray xhat;
    /** {@code 1 / std} per row, {@code [N, 1]}. */
    final INDArray rstd;

    private NormalizedRows(INDArray xhat, INDArray rstd) {
        this.xhat = xhat;
        this.rstd = rstd;
    }

    /** Normalises the rows of {@code x} (not changed). */
    static NormalizedRows of(INDArray x) {
        INDArray xc = x.subColumnVector(x.mean(true, 1));
        INDArray rstd = Transforms.pow(xc.mul(xc).mean(true, 1), -0.5, false);
        return new NormalizedRows(xc.muliColumnVector(rstd), rstd);
    }

    /** {@code xhat * gain + bias}, a new {@code [N, D]} array. */
    INDArray scale(INDArray gain, INDArray bias) {
        return xhat.mulRowVector(gain).addiRowVector(bias);
    }

    /**
     * The gradient with respect to the input rows for the output gradient {@code dy [N, D]} (which is overwritten):
     * {@code rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))} with {@code dxhat = dy * gain}; writes the
     * gain's and the bias's gradients into {@code grads[0]} and {@code grads[1]}.
     */
    INDArray backward(INDArray dy, INDArray gain, INDArray[] grads) {
        grads[0] = TransformerPass.columnSums(dy.mul(xhat));
        grads[1] = TransformerPass.columnSums(dy);
        INDArray dxhat = dy.muliRowVector(gain);
        INDArray m2 = dxhat.mul(xhat).mean(true, 1);
        return dxhat.subiColumnVector(dxhat.mean(true, 1)).subi(xhat.mulColumnVector(m2)).muliColumnVector(rstd);
    }
}
