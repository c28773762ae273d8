package io.github.dl4jgrpoma.train;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
    private final double temperature;
    private final List<String> trainable;

    /**
     * @param temperature the sampling temperature the loss divides the logits by
     * @param trainable   the policy's trainable variables: the gradients the model's pass must return
     */
    ModelBackprop(LogitsBackprop backprop, double temperature, List<String> trainable, Supplier<LogitsLoss> newLoss) {
        this.backprop = backprop;
        this.trainable = List.copyOf(trainable);
        this.temperature = temperature;
        this.newLoss = newLoss;
        LogitsLoss first = newLoss.get();
        this.names = first.graph();
        idle.add(first);
    }

    /** Names of the loss's placeholders and outputs (the same in every thread's graph). */
    LossGraph loss() {
        return names;
    }

    /**
     * {@code log_softmax(logits / temperature)[target]} per token, {@code [R,L]} in the logits' type, under
     * {@code weights}: the loss graph's {@link LossGraph#tokenLogProbs()} (max-shifted, as {@code SafeOps.stableLogSoftmax})
     * computed with INDArray ops instead of a SameDiff execution per chunk.
     */
    INDArray tokenLogProbs(PolicyInput input, INDArray targets, Map<String, INDArray> weights) {
        return tokenLogProbs(backprop.logits(input, weights), targets);
    }

    /** {@link #tokenLogProbs(PolicyInput, INDArray, Map)} of given logits {@code [R,L,V]}. */
    INDArray tokenLogProbs(INDArray logits, INDArray targets) {
        long r = logits.size(0);
        long l = logits.size(1);
        INDArray z = logits.reshape('c', r * l, logits.size(2));
        if (temperature != 1.0) {
            z = z.div(temperature);
        }
        INDArray shifted = z.subColumnVector(z.max(true, 1));
        int v = (int) logits.size(2);
        double[] zs = shifted.castTo(DataType.DOUBLE).dup('c').data().asDouble();     // one bulk copy, not one per row
        double[] logNorm = Transforms.log(Transforms.exp(shifted, false).sum(true, 1), false).toDoubleVector();
        int[] tgt = targets.castTo(DataType.INT32).dup('c').reshape(r * l).toIntVector();
        double[] out = new double[tgt.length];
        for (int i = 0; i < out.length; i++) {
            if (tgt[i] < 0 || tgt[i] >= v) {
                throw new IllegalArgumentException("target id " + tgt[i] + " at flat position " + i + " is outside the"
                        + " vocabulary [0, " + v + ")");
            }
            out[i] = zs[i * v + tgt[i]] - logNorm[i];
        }
        return Nd4j.create(out, new long[] {r, l}, 'c').castTo(logits.dataType());
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
        return gradient(input, weights, lossFeed, outputs, weight, null);
    }

    /**
     * {@link #gradient(PolicyInput, Map, Map, List, double)} whose old log-probs are recomputed from the pass's own logits
     * when {@code oldLogProbs} is given: the loss is fed {@code oldLogProbs.apply(tokenLogProbs(logits))} in place of
     * the feed's old log-probs (so the ratio is exactly 1), without a separate forward pass.
     *
     * @param oldLogProbs the recomputed token log-probs {@code [R,T]} to the array the loss gets (e.g. masked), or null
     */
    GraphUpdater.Chunk gradient(PolicyInput input, Map<String, INDArray> weights, Map<String, INDArray> lossFeed,
                                List<String> outputs, double weight, UnaryOperator<INDArray> oldLogProbs) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        Map<String, INDArray> grads = backprop.gradients(input, weights, logits -> {
            Map<String, INDArray> feed = lossFeed;
            if (oldLogProbs != null) {
                feed = new java.util.HashMap<>(lossFeed);
                feed.put(names.oldLogProbs(), oldLogProbs.apply(tokenLogProbs(logits, lossFeed.get(names.targets()))));
            }
            LogitsLoss l = borrow();
            try {
                LogitsLoss.Gradient g = l.gradient(logits, feed, outputs);
                out.putAll(g.outputs());
                return g.logitsGradient();
            } finally {
                idle.add(l);
            }
        });
        Map<String, INDArray> scaled = new java.util.LinkedHashMap<>();
        for (String name : trainable) {
            INDArray g = grads.get(name);
            if (g == null) {
                throw new IllegalStateException("the model's backward pass (" + backprop.getClass().getName() + ") returned no"
                        + " gradient for the trainable variable '" + name + "'; it returned " + grads.keySet()
                        + "; LogitsBackprop.gradients must return one array per PolicyModel.trainableVariables() entry");
            }
            scaled.put(name, g.muli(weight));
        }
        return new GraphUpdater.Chunk(scaled, out);
    }

    private LogitsLoss borrow() {
        LogitsLoss l = idle.poll();
        return l != null ? l : newLoss.get();
    }
}
