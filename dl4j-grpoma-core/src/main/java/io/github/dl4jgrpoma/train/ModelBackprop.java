package io.github.dl4jgrpoma.train;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * The update's passes for a policy with its own forward and backward pass ({@link LogitsBackprop}): the model computes
 * logits and parameter gradients, a {@link LogitsLoss} (one per thread, reused) the loss, its metrics and
 * {@code d loss / d logits}. The results equal those of differentiating the policy graph with the loss attached, up to
 * float rounding ({@code ModelBackpropTrainerTest}).
 */
final class ModelBackprop {
    private final LogitsBackprop backprop;
    private final Supplier<LogitsLoss> newLoss;
    private final ConcurrentLinkedQueue<LogitsLoss> idle = new ConcurrentLinkedQueue<>();
    private final LossGraph names;

    ModelBackprop(LogitsBackprop backprop, Supplier<LogitsLoss> newLoss) {
        this.backprop = backprop;
        this.newLoss = newLoss;
        LogitsLoss first = newLoss.get();
        this.names = first.graph();
        idle.add(first);
    }

    /** Names of the loss's placeholders and outputs (the same in every thread's graph). */
    LossGraph loss() {
        return names;
    }

    /** Per-token output {@code name} ({@code [R,L]}) of the loss for {@code input} under {@code weights}. */
    INDArray perToken(PolicyInput input, INDArray targets, Map<String, INDArray> weights, String name) {
        INDArray logits = backprop.logits(input, weights);
        LogitsLoss l = borrow();
        try {
            return l.perToken(logits, Map.of(names.targets(), targets), name);
        } finally {
            idle.add(l);
        }
    }

    /**
     * The parameter gradients of the loss on one chunk, times {@code weight}, and its scalar outputs.
     *
     * @param lossFeed the chunk's loss placeholders
     */
    GraphUpdater.Chunk gradient(PolicyInput input, Map<String, INDArray> weights, Map<String, INDArray> lossFeed,
                                List<String> outputs, double weight) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Map<String, INDArray> grads = backprop.gradients(input, weights, logits -> {
            LogitsLoss l = borrow();
            try {
                LogitsLoss.Gradient g = l.gradient(logits, lossFeed, outputs);
                out.putAll(g.outputs());
                return g.logitsGradient();
            } finally {
                idle.add(l);
            }
        });
        grads.replaceAll((k, v) -> v.muli(weight));
        return new GraphUpdater.Chunk(grads, out);
    }

    private LogitsLoss borrow() {
        LogitsLoss l = idle.poll();
        return l != null ? l : newLoss.get();
    }
}
