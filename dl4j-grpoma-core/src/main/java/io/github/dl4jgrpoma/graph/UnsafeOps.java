package io.github.dl4jgrpoma.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ops.impl.loss.SoftmaxCrossEntropyLoss;
import org.nd4j.linalg.api.ops.impl.loss.SparseSoftmaxCrossEntropyLossWithLogits;
import org.nd4j.linalg.api.ops.impl.reduce.TensorMmul;
import org.nd4j.linalg.api.ops.impl.reduce.custom.BatchMmul;
import org.nd4j.linalg.api.ops.impl.reduce.custom.LogSumExp;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumProd;
import org.nd4j.linalg.api.ops.impl.transforms.custom.CumSum;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LogSoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Max;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Min;
import org.nd4j.linalg.api.ops.random.impl.DropOut;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;

/**
 * Finds SameDiff 1.0.0-M2.1 ops whose backpropagation is wrong or throws, on the path from trainable
 * variables (gradients would flow through them), and names the alternative for each.
 *
 * <p>The list is what a systematic sweep found, not a guess: {@code UnsafeOpsSweepTest} finite-difference
 * checks (double precision) every differentiable op a policy or loss is likely to use, under several shapes,
 * axes and flags, and fails if a wrong or throwing op is missing here or if an op listed here was never
 * found broken. Its findings (summarised in {@code DL4J-NOTES.md} sections 2 and 8):
 * <ul>
 *   <li>wrong gradient: {@code sd.gather} (repeated indices; crashes with unique ones), {@code sd.math.min} /
 *       {@code max} (doubled on ties), {@code sd.loss.sparseSoftmaxCrossEntropy} and
 *       {@code sd.loss.softmaxCrossEntropy}, {@code sd.cumsum} (along any axis but the first, and whenever
 *       reverse), {@code sd.cumprod} (everywhere), population {@code sd.variance} (bias-corrected variance and
 *       {@code sd.standardDeviation} in both modes are correct);</li>
 *   <li>backprop (or the forward pass) throws: {@code sd.nn.logSoftmax} (with a dimension),
 *       {@code sd.math.logSumExp}, {@code sd.tensorMmul}, {@code sd.batchMmul}, {@code sd.nn.dropout},
 *       {@code sd.nn.dropoutInverted}.</li>
 * </ul>
 * Correct in the sweep (so not listed): mmul in every transpose / batched form, broadcast arithmetic,
 * the usual activations, softmax, sum/mean/max/min/prod/norm2 reductions, reshape/permute/concat/slice/
 * stridedSlice/tile/stack, layerNorm, one-hot x matmul, conv2d and pooling. One fault is shape-dependent and
 * cannot be seen from the op type: in M2.1 a reduction over a dimension of size 1 of a rank-2 array throws
 * a {@code NullPointerException}; use {@link SafeOps#sumAlong}. Use {@link SafeOps} for the replacements.
 * Ops that only see placeholders and constants (for example a {@code gather} of token ids) are not
 * reported, because no gradient flows through them.
 */
public final class UnsafeOps {
    /** One rejected op: its class, when it applies, and {@code "<api>: <fault>; <alternative>"}. */
    private record Rule(Class<?> opClass, Predicate<DifferentialFunction> applies, String description) {
    }

    private static final String NO_DROPOUT = "remove dropout from the policy graph: train with dropout disabled in"
            + " rollouts and loss alike, as TRL does (a random forward pass also breaks the PPO ratio, whose old"
            + " log-probs come from the rollout)";

    private static final List<Rule> RULES = List.of(
            rule(Gather.class, "sd.gather: wrong gradient with repeated indices, crash with unique ones; use one-hot x"
                    + " matmul (SafeOps.oneHot)"),
            rule(Min.class, "sd.math.min: gradient doubled on ties; use SafeOps.min"),
            rule(Max.class, "sd.math.max: gradient doubled on ties; use SafeOps.max"),
            rule(SparseSoftmaxCrossEntropyLossWithLogits.class, "sd.loss.sparseSoftmaxCrossEntropy: wrong gradient;"
                    + " use SafeOps.stableLogSoftmax times a one-hot target"),
            rule(SoftmaxCrossEntropyLoss.class, "sd.loss.softmaxCrossEntropy: wrong gradient; use"
                    + " SafeOps.stableLogSoftmax times the label distribution"),
            rule(LogSoftMax.class, "sd.nn.logSoftmax: backprop throws (with a dimension); use SafeOps.stableLogSoftmax"),
            rule(LogSumExp.class, "sd.math.logSumExp: backprop throws; use SafeOps.stableLogSoftmax (or max + log of"
                    + " sum of exp by hand)"),
            rule(CumSum.class, "sd.cumsum: wrong gradient along any axis but the first and with reverse; use a matmul"
                    + " with a constant 0/1 triangular matrix"),
            rule(CumProd.class, "sd.cumprod: wrong gradient; use exp of a cumulative sum of log x (a matmul of log x"
                    + " with a constant 0/1 triangular matrix, x > 0)"),
            new Rule(Variance.class, op -> !((Variance) op).isBiasCorrected(), "sd.variance (population,"
                    + " biasCorrected = false): wrong gradient (it divides by n - 1 in backprop); compute"
                    + " mean((x - mean(x))^2) by hand"),
            rule(TensorMmul.class, "sd.tensorMmul: backprop throws (tensormmul_bp evalShapeForTensorDot); use"
                    + " permute/reshape and sd.mmul"),
            rule(BatchMmul.class, "sd.batchMmul: backprop throws; use sd.mmul on rank-3 inputs [n,a,b] x [n,b,c]"),
            rule(DropOut.class, "sd.nn.dropout: backprop throws ('Not supported'); " + NO_DROPOUT),
            rule(DropOutInverted.class, "sd.nn.dropoutInverted: forward pass or backprop throws; " + NO_DROPOUT));

    private UnsafeOps() {
    }

    private static Rule rule(Class<?> opClass, String description) {
        return new Rule(opClass, op -> true, description);
    }

    /** The descriptions of the rejected ops ({@code "<api>: <fault>; <alternative>"}), in a fixed order. */
    public static List<String> rejectedOps() {
        return RULES.stream().map(Rule::description).toList();
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
            String why = why(op);
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

    private static String why(DifferentialFunction op) {
        for (Rule r : RULES) {
            if (r.opClass() == op.getClass() && r.applies().test(op)) {
                return r.description();
            }
        }
        return null;
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
            throw new IllegalStateException("Graph '" + what + "' uses SameDiff ops whose gradients are wrong or whose "
                    + "backprop throws in DL4J 1.0.0-M2.1, so training it would follow a wrong gradient or crash at the"
                    + " first update: " + found
                    + ". Rebuild the graph with the replacements named.");
        }
    }
}
