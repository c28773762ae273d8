package io.github.dl4jgrpoma.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.loss.SparseSoftmaxCrossEntropyLossWithLogits;
import org.nd4j.linalg.api.ops.impl.reduce.custom.LogSumExp;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;

/**
 * Finds SameDiff 1.0.0-M2.1 ops whose backpropagation is wrong or throws, on the path from trainable
 * variables (gradients would flow through them).
 *
 * <p>Measured in {@code shared/docs/DL4J-NOTES.md}: {@code sd.gather} (wrong rows / crash),
 * {@code sd.math.min}/{@code max} (double gradient on ties), {@code sd.loss.sparseSoftmaxCrossEntropy}
 * (wrong gradient), {@code sd.nn.logSoftmax} and {@code sd.math.logSumExp} (backprop throws). Use
 * {@link SafeOps} instead. Ops that only see placeholders and constants (for example a {@code gather} of
 * token ids) are not reported, because no gradient flows through them.
 */
public final class UnsafeOps {
    private static final Map<Class<?>, String> BROKEN = Map.of(
            Gather.class, "sd.gather: wrong gradient with repeated indices, crash with unique ones; use one-hot x matmul (SafeOps.oneHot)",
            Min.class, "sd.math.min: gradient doubled on ties; use SafeOps.min",
            Max.class, "sd.math.max: gradient doubled on ties; use SafeOps.max",
            SparseSoftmaxCrossEntropyLossWithLogits.class, "sd.loss.sparseSoftmaxCrossEntropy: wrong gradient; use SafeOps.logSoftmax with a one-hot target",
            LogSoftMax.class, "sd.nn.logSoftmax: backprop throws; use SafeOps.logSoftmax",
            LogSumExp.class, "sd.math.logSumExp: backprop throws; use SafeOps.logSoftmax");

    private UnsafeOps() {
    }

    /**
     * Lists the ops of {@code sd} that are known to backprop wrongly in M2.1 and that depend on at least one
     * trainable variable. Each entry reads {@code "<op name> (<why and the fix>)"}.
     */
    public static List<String> find(SameDiff sd) {
        Set<String> dependsOnTrainable = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                dependsOnTrainable.add(v.name());
                queue.add(v.name());
            }
        }
        while (!queue.isEmpty()) {
            String name = queue.poll();
            List<String> consumers = sd.getVariables().get(name).getInputsForOp();
            if (consumers == null) {
                continue;
            }
            for (String opName : consumers) {
                for (String out : sd.getOps().get(opName).getOutputsOfOp()) {
                    if (dependsOnTrainable.add(out)) {
                        queue.add(out);
                    }
                }
            }
        }
        List<String> found = new ArrayList<>();
        for (DifferentialFunction op : sd.ops()) {
            String why = BROKEN.get(op.getClass());
            if (why == null) {
                continue;
            }
            for (SDVariable in : op.args()) {
                if (dependsOnTrainable.contains(in.name())) {
                    found.add(op.getOwnName() + " (" + why + ")");
                    break;
                }
            }
        }
        return found;
    }

    /**
     * Throws if {@link #find} reports anything.
     *
     * @param what a short name of the graph, used in the message (for example "policy + GRPO-MA loss")
     * @throws IllegalStateException naming every offending op and its replacement
     */
    public static void requireNone(SameDiff sd, String what) {
        List<String> found = find(sd);
        if (!found.isEmpty()) {
            throw new IllegalStateException("Graph '" + what + "' uses SameDiff ops whose gradients are wrong in "
                    + "DL4J 1.0.0-M2.1, so training it would silently follow a wrong gradient: " + found
                    + ". Rebuild the graph with the replacements named.");
        }
    }
}
