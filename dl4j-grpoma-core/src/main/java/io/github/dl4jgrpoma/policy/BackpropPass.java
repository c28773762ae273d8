package io.github.dl4jgrpoma.policy;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/** One forward pass of a {@link LogitsBackprop}: its logits and, if it kept its activations, the backward pass. */
public interface BackpropPass {

    /** Logits {@code [B, L, V]} of the pass, as the model's graph computes them (up to float rounding). */
    INDArray logits();

    /**
     * Parameter gradients of a scalar loss, by trainable-variable name, each shaped like its parameter.
     *
     * @param logitsGradient {@code d loss / d logits}, {@code [B, L, V]}
     * @throws IllegalStateException    if the pass was run without keeping its activations, or backward already ran
     * @throws IllegalArgumentException if the gradient's shape differs from the logits'
     */
    Map<String, INDArray> backward(INDArray logitsGradient);
}
