package io.github.dl4jgrpoma.policy;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's own forward pass and its hand-derived backward pass, which trainers use instead of SameDiff's automatic
 * differentiation when a model offers one ({@link PolicyModel#logitsBackprop()}). The loss stays a SameDiff graph on
 * the logits; only the model's part of the chain rule is computed here, from {@code d loss / d logits} to the
 * parameter gradients.
 *
 * <p>Why (our choice, issue 13): SameDiff M2.1 allocates and zeroes a fresh array for every op output and gradient
 * of every pass, and some of its backward kernels are slow on small shapes ({@code layer_norm_bp}); a model written
 * with a few large matrix products per layer avoids both. An implementation must give the gradients of its SameDiff
 * graph up to float rounding (the transformer's is checked against it in double precision).
 *
 * <p>Implementations are stateless and thread-safe: two threads may run passes on the same weights at once.
 */
public interface LogitsBackprop {

    /**
     * The forward pass of {@code input} with the given parameter arrays.
     *
     * @param input           the rows, with the model's placeholders' meaning ({@link PolicyModel#feed})
     * @param weights         parameter arrays by trainable-variable name: the policy's own ({@link PolicyModel#parameters()})
     *                        or a frozen copy's (a reference model); read, never written
     * @param keepActivations keep what {@link BackpropPass#backward} needs; false for a forward pass only
     * @throws IllegalArgumentException if the input does not fit the model (token or position ids out of range,
     *                                  conditioning it does not read)
     */
    BackpropPass forward(PolicyInput input, Map<String, INDArray> weights, boolean keepActivations);
}
