package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.optim.AdamOptimizer;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * The update step shared by the GRPO-MA and SFT trainers: one forward + backward pass of a named loss of the
 * policy graph ({@code sd.calculateGradientsAndOutputs}), then {@link AdamOptimizer#step} (global-norm clipping
 * included) on the policy's trainable arrays in place.
 *
 * <p>SameDiff minimises the <em>sum</em> of all variables marked as loss. When several trainers attached their
 * losses to one policy graph, this class makes its loss the only loss variable before each pass
 * ({@code sd.setLossVariables}, which also discards the old gradient function) and rebuilds the gradient
 * function with SameDiff's "Added differentiated op" console lines swallowed.
 */
final class GraphUpdater {
    private static final String GRAD_FN = "grad";

    private final PolicyModel policy;
    private final String loss;
    private final AdamOptimizer optimizer;

    GraphUpdater(PolicyModel policy, String loss, OptimizerConfig config) {
        this.policy = policy;
        this.loss = loss;
        this.optimizer = new AdamOptimizer(config, policy.parameters());
        selectLoss();
    }

    AdamOptimizer optimizer() {
        return optimizer;
    }

    /** The outputs of one pass, and the global gradient norm before clipping. */
    record Result(Map<String, INDArray> outputs, double gradNorm) {
    }

    /**
     * Computes the loss gradient and the requested outputs on the current parameters, then applies one Adam
     * step.
     */
    Result update(Map<String, INDArray> feed, List<String> outputs) {
        return update(feed, outputs, out -> { });
    }

    /** {@link #update(Map, List)} that shows the outputs to {@code beforeStep} before the weights change. */
    Result update(Map<String, INDArray> feed, List<String> outputs,
                  java.util.function.Consumer<Map<String, INDArray>> beforeStep) {
        selectLoss();
        List<String> wanted = new ArrayList<>(outputs);
        if (!wanted.contains(loss)) {
            wanted.add(loss);
        }
        OutAndGrad og = policy.sameDiff().calculateGradientsAndOutputs(feed, wanted, policy.trainableVariables());
        beforeStep.accept(og.getOutputs());
        double norm = optimizer.step(og.getGradients());
        return new Result(og.getOutputs(), norm);
    }

    /** Makes {@link #loss} the graph's only loss variable and ensures the gradient function exists. */
    void selectLoss() {
        SameDiff sd = policy.sameDiff();
        if (!sd.getLossVariables().equals(List.of(loss))) {
            sd.setLossVariables(loss);
        }
        if (sd.getFunction(GRAD_FN) == null) {
            quietlyCreateGradFunction(sd);
        }
    }

    /** {@code sd.createGradFunction()} with {@code System.out} muted for its hard-coded println lines. */
    static void quietlyCreateGradFunction(SameDiff sd) {
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            sd.createGradFunction();
        } finally {
            System.setOut(original);
        }
    }
}
