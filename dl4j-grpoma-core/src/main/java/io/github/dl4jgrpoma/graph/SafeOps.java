package io.github.dl4jgrpoma.graph;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * SameDiff building blocks whose backpropagation is correct in 1.0.0-M2.1, to use instead of the
 * built-in ops that are not (see {@link UnsafeOps} and {@code shared/docs/DL4J-NOTES.md}).
 *
 * <ul>
 *   <li>{@link #min}: {@code min(a, b) = a - relu(a - b)}. {@code sd.math.min} gives the full upstream
 *       gradient to both inputs on ties; this form gives it to {@code a} only (a valid subgradient).</li>
 *   <li>{@link #stableLogSoftmax}: {@code z = x - max(x); log_softmax(x) = z - log(sum(exp(z)))} along one
 *       dimension. {@code sd.nn.logSoftmax} and {@code sd.math.logSumExp} throw in backprop. The shift by
 *       the maximum keeps {@code exp} finite; its gradient cancels analytically.</li>
 *   <li>{@link #oneHot}: one-hot of integer indices; with a matmul it replaces {@code sd.gather}, whose
 *       gradient is wrong for repeated indices.</li>
 *   <li>{@link #sumAlong}: a sum over one dimension that also works when that dimension has size 1 (in
 *       M2.1 {@code x.sum(d)} of a rank-2 array throws a {@code NullPointerException} when dimension
 *       {@code d} has size 1, for example per-row sums of a {@code [B,1]} array).</li>
 * </ul>
 * Every method here is pure graph construction: no IO, no randomness.
 */
public final class SafeOps {
    private SafeOps() {
    }

    /** Element-wise minimum with a correct tie gradient: {@code a - relu(a - b)}. */
    public static SDVariable min(SameDiff sd, String name, SDVariable a, SDVariable b) {
        return named(a.sub(sd.nn.relu(a.sub(b), 0.0)), name);
    }

    /** Element-wise maximum with a correct tie gradient: {@code a + relu(b - a)}. */
    public static SDVariable max(SameDiff sd, String name, SDVariable a, SDVariable b) {
        return named(a.add(sd.nn.relu(b.sub(a), 0.0)), name);
    }

    /**
     * Numerically stable log-softmax along {@code dim}:
     * {@code z = x - max_dim(x)}, {@code logp = z - log(sum_dim(exp(z)))}.
     */
    public static SDVariable stableLogSoftmax(SameDiff sd, String name, SDVariable x, int dim) {
        SDVariable z = x.sub(x.max(true, dim));
        SDVariable logNorm = sd.math.log(sd.math.exp(z).sum(true, dim));
        return named(z.sub(logNorm), name);
    }

    /** Renames {@code v} to {@code name}, or keeps SameDiff's generated unique name when {@code name} is null. */
    private static SDVariable named(SDVariable v, String name) {
        return name == null ? v : v.rename(name);
    }

    /**
     * {@code sum_d x} (dimension {@code dim} removed), valid for every size of that dimension, also 1: the
     * sum runs over {@code concat(dim, x, zerosLike(x))}, whose dimension {@code dim} has at least size 2 (our
     * choice; it doubles a small array, which is cheap next to logits). Shape: {@code x}'s shape without
     * {@code dim}. The gradient is 1 for every entry of {@code x} (finite-difference checked).
     */
    public static SDVariable sumAlong(SameDiff sd, String name, SDVariable x, int dim) {
        return named(sd.concat(dim, x, sd.zerosLike(x)).sum(dim), name);
    }

    /** One-hot encoding of integer indices along a new last dimension of size {@code depth}. */
    public static SDVariable oneHot(SameDiff sd, SDVariable indices, int depth, DataType dataType) {
        return sd.oneHot(indices, depth, -1, 1.0, 0.0, dataType);
    }
}
