package io.github.dl4jgrpoma.transformer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Array helpers of {@link KvCacheState}'s decoding step and forks: views, copies, products, the attention mask. */
final class CacheArrays {
    private CacheArrays() {
    }

    /** A view of {@code a}'s buffer: {@code shape} and {@code stride} in elements, {@code offset} past a's own. */
    static INDArray view(INDArray a, long[] shape, long[] stride, long offset) {
        return Nd4j.create(a.data(), shape, stride, a.offset() + offset, 'c');
    }

    /** Rows {@code idx} of a c-ordered rank-4 array into {@code out}, through 2-D views (pullRows works on matrices). */
    static void pullRows4(INDArray a, INDArray out, int[] idx) {
        long[] shape = a.shape();
        INDArray flat = a.reshape('c', shape[0], shape[1] * shape[2] * shape[3]);
        Nd4j.pullRows(flat, out.reshape('c', idx.length, shape[1] * shape[2] * shape[3]), 1, idx);
    }

    /**
     * Branches copied out of a branched cache into plain rows: {@code from} ({@code [rows, H, cap, dh]} with strides
     * {@code fromStride}) holds slots {@code 0..bs-1} shared by a cache row's {@code m} branches and, from slot
     * {@code bs}, {@code steps} chunks of {@code m} slots, one per branch. Row {@code r} of {@code to} (strides
     * {@code toStride}) gets cache row {@code parent[r]}'s shared slots, then branch {@code idx[r]}'s own slots in
     * order at {@code bs..bs+steps-1}.
     */
    static void copyBranches(INDArray from, long[] fromStride, int m, int bs, int steps, INDArray to, long[] toStride,
                             int[] parent, int[] idx) {
        long rows = from.size(0);
        long h = from.size(1);
        long dh = from.size(3);
        int r = idx.length;
        INDArray shared = view(from, new long[] {rows, h, bs, dh}, fromStride, 0).dup('c').reshape('c', rows, h * bs * dh);
        view(to, new long[] {r, h, bs, dh}, toStride, 0).assign(Nd4j.pullRows(shared, 1, parent).reshape('c', r, h, bs, dh));
        if (steps > 0) {
            INDArray own = view(from, new long[] {rows, h, steps, m, dh},
                    new long[] {fromStride[0], fromStride[1], m * dh, dh, 1}, bs * dh)
                    .permute(0, 3, 1, 2, 4).dup('c').reshape('c', rows * m, h * steps * dh);
            view(to, new long[] {r, h, steps, dh}, toStride, bs * dh)
                    .assign(Nd4j.pullRows(own, 1, idx).reshape('c', r, h, steps, dh));
        }
    }

    /**
     * Additive attention mask {@code [rows, 1, n, s]} of a chunk of {@code n} new slots from slot {@code slots} on:
     * 0 where slot j is valid for cache row b, j <= the query's slot and, when branched ({@code branches > 1}, n =
     * branches), j is not another branch's own slot (own slots from {@code branchStart} on, branch i's at
     * {@code branchStart + step * branches + i}); null when no slot is masked (adding zeros changes nothing, so the step
     * skips it: one op per layer less).
     */
    static INDArray mask(boolean[][] valid, int slots, int n, int s, int branches, int branchStart, DataType dt) {
        int rows = valid.length;
        float[] m = new float[rows * n * s];
        boolean any = false;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < n; i++) {
                int base = (b * n + i) * s;
                int query = slots + i;
                for (int j = 0; j < s; j++) {
                    boolean masked = !valid[b][j] || j > query
                            || branches > 1 && j >= branchStart && (j - branchStart) % branches != i;   // a sibling's
                    m[base + j] = masked ? (float) TransformerPolicy.MASK_VALUE : 0f;
                    any |= masked;
                }
            }
        }
        if (!any) {
            return null;
        }
        return Nd4j.create(m, new long[] {rows, 1, n, s}, 'c').castTo(dt);
    }

    /**
     * {@code x · w + b}: a BLAS product into a new array ({@link TransformerPass#mm}), then the bias; libnd4j's
     * {@code xw_plus_b} took 8x as long on {@code [1536, 128] x [128, 512]}.
     */
    static INDArray affine(INDArray x, INDArray w, INDArray b) {
        // broadcast add of the rank-1 bias: the same sums as addiRowVector, 7-30 us instead of 30-70 us per call on
        // [16..128, 64..512] (addiRowVector wins only on thousands of rows, the update's shapes)
        return TransformerPass.mm(x, w, false, false).addi(b);
    }

    /**
     * {@code acc += x · w + b} in place (a residual connection): the product accumulates into {@code acc}, then the
     * bias; one array and one op fewer than adding {@link #affine}'s result (about 20 us per call on the decoding
     * step's arrays). Rounding differs from {@code acc + (x · w + b)} in the last bits only.
     */
    static void addAffine(INDArray acc, INDArray x, INDArray w, INDArray b) {
        TransformerPass.mmAccumulate(x, w, acc);
        acc.addi(b);
    }
}
