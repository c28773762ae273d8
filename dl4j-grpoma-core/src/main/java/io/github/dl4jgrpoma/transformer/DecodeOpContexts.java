package io.github.dl4jgrpoma.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoding step's custom ops (LayerNorm, SoftMax) run through native op contexts built once per
 * {@link KvCacheState} and reused for every call, instead of a new op and context per call.
 *
 * <p>Our choice, measured: on the decoding step's small arrays ({@code [32, 128]}, {@code [32, 4, 1, 64]}) a custom op
 * built per call cost 105 us (LayerNorm) and 78 us (SoftMax), about 45 us each with a reused context and op object;
 * a d=128 decoding step makes 9 LayerNorms and 4 softmaxes. The results are the same (the same kernels).
 *
 * <p>Each call purges its context afterwards ({@code OpContext.purge()}): libnd4j wraps every array set on a context
 * in a native NDArray that it deletes only on a purge or when the context is destroyed, so a context reused without
 * purging held about 80 bytes more per array per call until the GC freed it (a throwaway harness, 250,000 softmaxes
 * on one context: +39 MB resident, -4 MB with the purge). The arguments (normalised dimension, softmax dimension)
 * survive the purge.
 *
 * <p>Not thread-safe: one state, one thread at a time, as {@link KvCacheState} is used. After {@link #close()} calls
 * throw {@link IllegalStateException}; the native contexts themselves are freed when the GC finds them unreachable
 * (ND4J's deallocator; {@code CpuOpContext.close()} does nothing in 1.0.0-M2.1), so close drops the references.
 */
final class DecodeOpContexts implements AutoCloseable {
    private final LayerNorm layerNormOp = new LayerNorm();
    private final SoftMax softmaxOp = new SoftMax();
    private OpContext layerNorm;            // null once closed
    private OpContext softmax;
    private int softmaxDimension = -1;

    DecodeOpContexts() {
        layerNorm = Nd4j.getExecutioner().buildContext();
        layerNorm.setIArguments(1);        // normalised dimension
        layerNorm.setBArguments(false);    // channelsFirst (DL4J-NOTES section 3: the 6-argument constructor's meaning)
        softmax = Nd4j.getExecutioner().buildContext();
    }

    /**
     * Layer normalisation of each row of {@code in [rows, D]} with {@code gain [D]} and {@code bias [D]} into a new
     * array of in's shape (in the caller's workspace, if one is open).
     */
    INDArray layerNorm(INDArray in, INDArray gain, INDArray bias) {
        checkOpen();
        INDArray out = in.ulike();
        layerNorm.setInputArrays(in, gain, bias);
        layerNorm.setOutputArrays(out);
        Nd4j.exec(layerNormOp, layerNorm);
        layerNorm.purge();
        return out;
    }

    /** Softmax of {@code in} along {@code dimension} into {@code out} (same shape). */
    void softmax(INDArray in, INDArray out, int dimension) {
        checkOpen();
        if (dimension != softmaxDimension) {
            softmax.setIArguments(dimension);
            softmaxDimension = dimension;
        }
        softmax.setInputArrays(in);
        softmax.setOutputArrays(out);
        Nd4j.exec(softmaxOp, softmax);
        softmax.purge();
    }

    /** How many arrays the two contexts hold (inputs and outputs); for tests. */
    int arraysHeld() {
        checkOpen();
        return layerNorm.getInputArrays().size() + layerNorm.getOutputArrays().size()
                + softmax.getInputArrays().size() + softmax.getOutputArrays().size();
    }

    private void checkOpen() {
        if (layerNorm == null) {
            throw new IllegalStateException("these op contexts were closed with their decoding state");
        }
    }

    /** Closes both contexts and drops them (freed by the GC, see above); closing twice does nothing. */
    @Override
    public void close() {
        if (layerNorm != null) {
            free(layerNorm);
            free(softmax);
            layerNorm = null;
            softmax = null;
        }
    }

    private static void free(OpContext c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not close a native op context: " + e, e);
        }
    }
}
