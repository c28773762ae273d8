package io.github.dl4jgrpoma.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.GradFunctions;
import io.github.dl4jgrpoma.graph.SameDiffMemory;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import io.github.dl4jgrpoma.loss.AggregationRegistry;
import io.github.dl4jgrpoma.loss.GrpoLoss;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.LossGraph;

/**
 * The trainer's {@link GrpoLoss} in a graph of its own whose input is a logits variable {@code [B,L,V]} set before each
 * execution, for a policy whose forward and backward pass are its own ({@code ModelBackprop}): the same loss, metrics,
 * token log-probs and entropies as the loss attached to the policy graph, and {@code d loss / d logits}. One instance
 * per thread (the logits are a variable of the graph).
 */
final class LogitsLoss {
    private static final String LOGITS = "logits";

    private final SameDiff sd;
    private final LossGraph graph;

    LogitsLoss(int vocabSize, DataType dataType, double temperature, LossConfig config, boolean packedRows) {
        this.sd = SameDiff.create();
        SDVariable logits = sd.var(LOGITS, Nd4j.zeros(dataType, 1, 1, vocabSize));
        this.graph = GrpoLoss.attach(sd, temperature == 1.0 ? logits : logits.div(temperature), vocabSize, config,
                AggregationRegistry.defaults(), GrpoLoss.DEFAULT_PREFIX, packedRows);
        UnsafeOps.requireNone(sd, "GRPO-MA loss on logits");
        sd.setLossVariables(graph.loss());
        GradFunctions.createQuietly(sd);
    }

    /** The names of the loss's placeholders and outputs. */
    LossGraph graph() {
        return graph;
    }

    /** Scalar outputs by name and {@code d loss / d logits}. */
    record Gradient(Map<String, Double> outputs, INDArray logitsGradient) {
    }

    /**
     * The loss's scalar {@code outputs} and its gradient with respect to {@code logits}.
     *
     * @param feed the loss placeholders ({@link LossGraph#feed})
     */
    Gradient gradient(INDArray logits, Map<String, INDArray> feed, List<String> outputs) {
        sd.getVariable(LOGITS).setArray(logits);
        try {
            OutAndGrad og = sd.calculateGradientsAndOutputs(feed, outputs, List.of(LOGITS));
            Map<String, Double> out = new LinkedHashMap<>();
            for (String n : outputs) {
                out.put(n, og.getOutputs().get(n).getDouble(0));
            }
            return new Gradient(out, og.getGradients().get(LOGITS));
        } finally {
            SameDiffMemory.releaseThisThread(sd);
        }
    }

    /** One per-token output {@code [B,L]} of the loss graph (token log-probs or entropies) for the given logits. */
    INDArray perToken(INDArray logits, Map<String, INDArray> feed, String name) {
        sd.getVariable(LOGITS).setArray(logits);
        try {
            return sd.output(feed, name).get(name).dup();
        } finally {
            SameDiffMemory.releaseThisThread(sd);
        }
    }
}
