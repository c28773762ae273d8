package io.github.dl4jgrpoma.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite-difference check of SameDiff gradients, for any graph with a scalar loss.
 *
 * <p>For each checked entry {@code w} of a variable: numeric gradient
 * {@code g_n = (L(w + eps) - L(w - eps)) / (2 eps)}, analytic gradient {@code g_a} from
 * {@code sd.calculateGradients}. The entry passes when {@code |g_a - g_n| <= absTolerance} or
 * {@code |g_a - g_n| / (|g_a| + |g_n|) <= relTolerance}. Variables must be DOUBLE: float32 central
 * differences are too noisy to tell a wrong gradient from rounding.
 *
 * <p>It exists because {@code GradCheckUtil} of M2.1 throws on graphs with floating-point placeholders,
 * and because several M2.1 ops have wrong gradients (see {@link UnsafeOps}); users who attach the loss to
 * their own policy should run it on a tiny configuration of that policy.
 *
 * <p>Which entries are checked: all of them when a variable has at most {@code maxPerVariable} entries,
 * otherwise {@code maxPerVariable} distinct entries drawn with a {@link Random} seeded by {@code seed}.
 */
public final class GradientCheck {
    private final double eps;
    private final double relTolerance;
    private final double absTolerance;
    private final int maxPerVariable;
    private final long seed;

    /**
     * @param eps            finite-difference step; 1e-6 suits double precision
     * @param relTolerance   relative tolerance, for example 1e-5
     * @param absTolerance   absolute tolerance that passes tiny gradients, for example 1e-8
     * @param maxPerVariable entries checked per variable at most (at least 1)
     * @param seed           seed of the entry sampling
     */
    public GradientCheck(double eps, double relTolerance, double absTolerance, int maxPerVariable, long seed) {
        if (!(eps > 0) || !(relTolerance > 0) || !(absTolerance >= 0)) {
            throw new IllegalArgumentException("GradientCheck: eps and relTolerance must be > 0 and absTolerance >= 0, got eps="
                    + eps + ", relTolerance=" + relTolerance + ", absTolerance=" + absTolerance);
        }
        if (maxPerVariable < 1) {
            throw new IllegalArgumentException("GradientCheck: maxPerVariable must be >= 1, got " + maxPerVariable);
        }
        this.eps = eps;
        this.relTolerance = relTolerance;
        this.absTolerance = absTolerance;
        this.maxPerVariable = maxPerVariable;
        this.seed = seed;
    }

    /** Defaults for double precision: eps 1e-6, rel 1e-5, abs 1e-8, at most 30 entries per variable, seed 12345. */
    public static GradientCheck defaults() {
        return new GradientCheck(1e-6, 1e-5, 1e-8, 30, 12345L);
    }

    /** Checks every trainable variable ({@link VariableType#VARIABLE}) of the graph. */
    public GradientCheckResult checkAll(SameDiff sd, Map<String, INDArray> placeholders, String lossName) {
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                names.add(v.name());
            }
        }
        return check(sd, placeholders, lossName, names);
    }

    /**
     * Checks the gradient of the scalar {@code lossName} with respect to the named variables.
     *
     * @throws IllegalArgumentException if a variable is not a DOUBLE trainable variable or the loss is not scalar
     */
    public GradientCheckResult check(SameDiff sd, Map<String, INDArray> placeholders, String lossName,
                                     Collection<String> variables) {
        for (String name : variables) {
            SDVariable v = sd.getVariable(name);
            if (v == null || v.getVariableType() != VariableType.VARIABLE) {
                throw new IllegalArgumentException("GradientCheck: '" + name + "' is not a trainable variable of the graph");
            }
            if (v.dataType() != DataType.DOUBLE) {
                throw new IllegalArgumentException("GradientCheck: variable '" + name + "' is " + v.dataType()
                        + "; build the graph in DataType.DOUBLE for finite differences");
            }
        }
        GradFunctions.createQuietly(sd);
        Map<String, INDArray> grads = sd.calculateGradients(placeholders, variables);
        Random random = new Random(seed);
        int checked = 0;
        int failures = 0;
        double maxRel = 0;
        List<String> details = new ArrayList<>();
        for (String name : variables) {
            INDArray param = sd.getVariable(name).getArr();
            INDArray grad = grads.get(name);
            if (grad == null) {
                throw new IllegalStateException("GradientCheck: SameDiff returned no gradient for '" + name
                        + "'; is it connected to the loss '" + lossName + "'?");
            }
            INDArray flatParam = param.reshape(param.length());
            INDArray flatGrad = grad.reshape(grad.length());
            for (long idx : pickEntries(param.length(), random)) {
                double original = flatParam.getDouble(idx);
                flatParam.putScalar(idx, original + eps);
                double plus = loss(sd, placeholders, lossName);
                flatParam.putScalar(idx, original - eps);
                double minus = loss(sd, placeholders, lossName);
                flatParam.putScalar(idx, original);
                double numeric = (plus - minus) / (2 * eps);
                double analytic = flatGrad.getDouble(idx);
                double diff = Math.abs(analytic - numeric);
                double rel = diff == 0 ? 0 : diff / (Math.abs(analytic) + Math.abs(numeric));
                checked++;
                if (diff > absTolerance) {
                    maxRel = Math.max(maxRel, rel);
                    if (rel > relTolerance) {
                        failures++;
                        if (details.size() < 20) {
                            details.add(name + "[" + idx + "]: analytic=" + analytic + " numeric=" + numeric + " rel=" + rel);
                        }
                    }
                }
            }
        }
        return new GradientCheckResult(checked, failures, maxRel, details);
    }

    private long[] pickEntries(long length, Random random) {
        if (length <= maxPerVariable) {
            long[] all = new long[(int) length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        LinkedHashSet<Long> picked = new LinkedHashSet<>();
        while (picked.size() < maxPerVariable) {
            picked.add((long) (random.nextDouble() * length));
        }
        return picked.stream().mapToLong(Long::longValue).toArray();
    }

    private static double loss(SameDiff sd, Map<String, INDArray> placeholders, String lossName) {
        INDArray out = sd.output(placeholders, lossName).get(lossName);
        if (out.length() != 1) {
            throw new IllegalArgumentException("GradientCheck: loss '" + lossName + "' must be a scalar, has shape "
                    + Arrays.toString(out.shape()));
        }
        return out.getDouble(0);
    }
}
