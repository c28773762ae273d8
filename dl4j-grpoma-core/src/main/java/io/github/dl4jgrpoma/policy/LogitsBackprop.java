package io.github.dl4jgrpoma.policy;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's own forward pass and its hand-derived backward pass, which trainers use instead of SameDiff's automatic
 * differentiation when a model offers one ({@link PolicyModel#logitsBackprop()}). The loss stays a SameDiff graph on
 * the logits; only the model's part of the chain rule is computed here, from {@code d loss / d logits} to the
 * parameter gradients.
 *
 * <p>Why (our choice, issue 13): in DL4J M2.1 a matrix product into a freshly allocated array runs at 4-15 GFLOP/s on
 * this project's 2-core machines, into a reused one at 50-90 GFLOP/s (OpenBLAS), because each fresh multi-megabyte
 * output faults its pages in; SameDiff allocates a fresh array for every op output and gradient of every pass. A
 * model written with a few large products per layer into arrays of a reused workspace avoids both. An implementation
 * must give the logits and gradients of its SameDiff graph up to float rounding (the transformer's is checked against
 * it in double precision).
 *
 * <p>Implementations are thread-safe: two threads may run passes on the same weights at once. The arrays they return
 * are the caller's: new arrays outside any ND4J workspace, which the trainer scales and sums in place (the map itself
 * may be immutable; it must hold one gradient per trainable variable, or the trainer stops with an
 * {@code IllegalStateException} naming the missing one).
 */
public interface LogitsBackprop {

    /**
     * The logits {@code [B, L, V]} of a forward pass of {@code input} with the given parameter arrays.
     *
     * @param input   the rows, with the meaning of the model's placeholders ({@link PolicyModel#feed})
     * @param weights parameter arrays by trainable-variable name: the policy's own ({@link PolicyModel#parameters()}) or
     *                a frozen copy's (a reference model); read, never written
     * @throws IllegalArgumentException if the input does not fit the model (token or position ids out of range,
     *                                  conditioning it does not read) or a weight is missing
     */
    INDArray logits(PolicyInput input, Map<String, INDArray> weights);

    /**
     * Parameter gradients of a scalar loss of the logits, by trainable-variable name, each shaped like its parameter:
     * a forward pass, {@code logitsGradient} applied to its logits, then the backward pass. The returned arrays are
     * the caller's: trainers scale them in place and close them after the optimiser step (their off-heap memory is freed
     * then, not at a later garbage collection), so return fresh arrays (views are left alone), never arrays you keep.
     *
     * @param logitsGradient maps the logits {@code [B, L, V]} to {@code d loss / d logits} of the same shape; called
     *                       once, outside any ND4J workspace (it may run a SameDiff graph); it must not call this
     *                       object's {@code logits} or {@code gradients} on the same thread (the transformer's passes
     *                       reuse one workspace per thread, which a nested pass would close under the outer one)
     * @throws IllegalArgumentException as {@link #logits}, or if the returned gradient's shape differs from the logits'
     */
    Map<String, INDArray> gradients(PolicyInput input, Map<String, INDArray> weights, UnaryOperator<INDArray> logitsGradient);
}
