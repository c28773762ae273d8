package io.github.dl4jgrpoma.transformer;

import io.github.dl4jgrpoma.rollout.DecodingChecks;
import io.github.dl4jgrpoma.rollout.DecodingState;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decoding state of {@link KvCacheDecoder}: per layer a key and a value cache {@code [rows, H, capacity, dh]},
 * the validity of every slot of every row, each row's length (= position of its next token) and the next-token
 * logits. The caches grow by doubling when full.
 *
 * <p>A model with an embedding prefix of {@code N} positions ({@link TransformerPolicy#prefixLength()}) first
 * {@link #consumePrefix consumes} the prefix embeddings into slots {@code 0..N-1} of every row; tokens then sit at
 * positions {@code N + length}, and {@link #length} counts tokens only.
 */
final class KvCacheState implements DecodingState {
    private static final String WORKSPACE_ID = "dl4jgrpoma-kv-cache-step";
    private final TransformerWeights w;
    private final int rows;
    private final int[] lengths;
    private final int positionOffset;
    private int slots;
    private int capacity;
    private INDArray[] keys;            // null once closed
    private INDArray[] values;
    private boolean[][] valid;
    private INDArray next;
    private final DecodeOpContexts ops = new DecodeOpContexts();

    KvCacheState(TransformerWeights w, int rows, int capacity) {
        this(w, rows, capacity, 0);
    }

    /** A state whose tokens start at position {@code positionOffset} (the prefix length). */
    KvCacheState(TransformerWeights w, int rows, int capacity, int positionOffset) {
        TransformerConfig c = w.config;
        this.w = w;
        this.rows = rows;
        this.positionOffset = positionOffset;
        this.lengths = new int[rows];
        this.capacity = Math.min(capacity, maxSlots());
        allocateCaches(this.capacity);
        for (int l = 0; l < c.layers(); l++) {
            keys[l].assign(0);                 // uninitialised memory; a fresh state's slots start empty
            values[l].assign(0);
        }
        this.valid = new boolean[rows][this.capacity];
        this.next = Nd4j.create(c.dataType(), rows, c.vocabSize());
    }

    private KvCacheState(KvCacheState src, int[] idx) {
        src.checkOpen();
        this.w = src.w;
        this.rows = idx.length;
        this.positionOffset = src.positionOffset;
        this.lengths = new int[rows];
        this.valid = new boolean[rows][];
        for (int i = 0; i < rows; i++) {
            lengths[i] = src.lengths[idx[i]];
            valid[i] = src.valid[idx[i]].clone();
        }
        this.slots = src.slots;
        this.capacity = src.capacity;
        allocateCaches(capacity);
        for (int l = 0; l < keys.length; l++) {
            pullRows4(src.keys[l], keys[l], idx);
            pullRows4(src.values[l], values[l], idx);
        }
        this.next = Nd4j.pullRows(src.next, 1, idx);
    }

    /**
     * Allocates {@code keys} and {@code values} of {@code [rows, H, cap, dh]} per layer, uninitialised (no kernel zeroing):
     * every caller writes every slot (copies, or zeros where nothing was consumed).
     */
    private void allocateCaches(int cap) {
        TransformerConfig c = w.config;
        keys = new INDArray[c.layers()];
        values = new INDArray[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            keys[l] = Nd4j.createUninitialized(c.dataType(), new long[] {rows, c.heads(), cap, c.headWidth()}, 'c');
            values[l] = Nd4j.createUninitialized(c.dataType(), new long[] {rows, c.heads(), cap, c.headWidth()}, 'c');
        }
    }

    /**
     * Frees the caches' off-heap memory now (INDArray.close), instead of when the GC finds the state unreachable: a
     * rollout makes several states of several megabytes per layer, which otherwise stayed allocated until the trainer's
     * step-end collection. The state cannot be used afterwards; closing twice does nothing.
     */
    @Override
    public void close() {
        if (keys != null) {
            ops.close();
            free(keys);
            free(values);
            keys = null;
            values = null;
        }
    }

    /** The cache arrays (keys of every layer, then values), or an empty array once closed; for tests. */
    INDArray[] caches() {
        if (keys == null) {
            return new INDArray[0];
        }
        INDArray[] out = java.util.Arrays.copyOf(keys, 2 * keys.length);
        System.arraycopy(values, 0, out, keys.length, values.length);
        return out;
    }

    /** The op contexts of this state's decoding steps; for tests. */
    DecodeOpContexts opContexts() {
        return ops;
    }

    private static void free(INDArray[] arrays) {
        for (INDArray a : arrays) {
            if (a.closeable()) {
                a.close();
            }
        }
    }

    private void checkOpen() {
        if (keys == null) {
            throw new IllegalStateException("this decoding state was closed; fork or append before closing it");
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int length(int row) {
        return lengths[row];
    }

    @Override
    public INDArray nextLogits() {
        return next;
    }

    @Override
    public void append(int[] tokens, boolean[] active) {
        checkOpen();
        DecodingChecks.checkAppend(rows, tokens, active);
        int[][] t = new int[rows][1];
        boolean[][] v = new boolean[rows][1];
        for (int b = 0; b < rows; b++) {
            t[b][0] = tokens[b];
            v[b][0] = active[b];
        }
        consume(t, v);
    }

    @Override
    public DecodingState fork(int[] idx) {
        DecodingChecks.checkFork(rows, idx);
        return new KvCacheState(this, idx);
    }

    /**
     * Consumes the prefix embeddings {@code [rows, N, D]} (N = the position offset) into slots {@code 0..N-1} of every
     * row, at positions {@code 0..N-1}; must come first, before any token.
     */
    void consumePrefix(INDArray embeddings) {
        int n = positionOffset;
        if (slots != 0 || n == 0 || embeddings.rank() != 3 || embeddings.size(0) != rows || embeddings.size(1) != n
                || embeddings.size(2) != w.config.width()) {
            throw new IllegalArgumentException("prefix embeddings must be [" + rows + ", " + n + ", " + w.config.width()
                    + "] and come before any token, got " + java.util.Arrays.toString(embeddings.shape()) + " after " + slots + " slots");
        }
        ensureCapacity(n);
        boolean[][] validNew = new boolean[rows][n];
        for (int b = 0; b < rows; b++) {
            java.util.Arrays.fill(validNew[b], true);
            java.util.Arrays.fill(valid[b], 0, n, true);
        }
        try (MemoryWorkspace ws = PassWorkspace.open(WORKSPACE_ID)) {
            int d = w.config.width();
            INDArray pos = w.wpe.get(interval(0, n), all()).dup('c').reshape('c', 1, (long) n * d);
            INDArray hidden = embeddings.castTo(w.config.dataType()).dup('c').reshape('c', rows, (long) n * d)
                    .addiRowVector(pos).reshape('c', (long) rows * n, d);                      // [rows * N, D]
            next = layers(hidden, validNew, false, n, n).detach();
        }
        slots = n;
    }

    /**
     * Consumes a chunk of {@code n} new slots per row: {@code tokens[b][i]} occupies slot {@code slots + i} of
     * row {@code b} if {@code validNew[b][i]}. Valid new tokens of a row must form a suffix of the chunk (left
     * padding); rows whose last new slot is valid get new {@link #nextLogits()}.
     */
    void consume(int[][] tokens, boolean[][] validNew) {
        TransformerConfig c = w.config;
        int n = tokens[0].length;
        int t = c.maxLength();
        ensureCapacity(slots + n);
        int s = slots + n;
        int x = rows * n;
        for (int b = 0; b < rows; b++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                if (!validNew[b][i]) {
                    continue;
                }
                count++;
                if (tokens[b][i] < 0 || tokens[b][i] >= c.vocabSize()) {
                    throw new IllegalArgumentException("token " + tokens[b][i] + " of row " + b + " is outside [0, "
                            + c.vocabSize() + ")");
                }
            }
            if (lengths[b] + count > t) {
                throw new IllegalArgumentException("row " + b + " would hold " + (lengths[b] + count)
                        + " tokens, more than the model's maximum length " + t + "; cap prompt + thought + answer at " + t);
            }
        }
        int[] tokFlat = new int[x];
        int[] posFlat = new int[x];
        boolean anyInactive = false;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < n; i++) {
                boolean ok = validNew[b][i];
                tokFlat[b * n + i] = ok ? tokens[b][i] : 0;
                posFlat[b * n + i] = positionOffset + (ok ? lengths[b]++ : Math.min(lengths[b], t - 1));
                valid[b][slots + i] = ok;
            }
            anyInactive |= !validNew[b][n - 1];
        }
        // Intermediates live in a workspace (a reused block: no per-op off-heap allocation); only the new
        // next-token logits leave it (detach) and the caches, allocated outside, are written by assign.
        try (MemoryWorkspace ws = PassWorkspace.open(WORKSPACE_ID)) {
            next = forward(tokFlat, posFlat, validNew, anyInactive, n, s).detach();
        }
        slots = s;
    }

    private INDArray forward(int[] tokFlat, int[] posFlat, boolean[][] validNew, boolean anyInactive, int n, int s) {
        INDArray hidden = Nd4j.pullRows(w.wte, 1, tokFlat).addi(Nd4j.pullRows(w.wpe, 1, posFlat));   // [X, D]
        return layers(hidden, validNew, anyInactive, n, s);
    }

    /** The transformer layers and the head on the new slots' input embeddings {@code hidden [rows * n, D]}. */
    private INDArray layers(INDArray hidden, boolean[][] validNew, boolean anyInactive, int n, int s) {
        TransformerConfig c = w.config;
        int d = c.width();
        int h = c.heads();
        int dh = c.headWidth();
        int x = rows * n;
        DataType dt = c.dataType();
        INDArray mask = mask(n, s, dt);
        double scale = 1.0 / Math.sqrt(dh);
        // Views built from buffer, shape, strides and offset: same elements as reshape/permute/get(interval), a
        // fraction of their cost (10 us against 15-40 us per view, ~10 views per layer and token step).
        long[] fresh = {rows, h, n, dh};
        long[] qkvStride = {(long) n * 3 * d, dh, 3L * d, 1};                  // qkv [rows * n, 3D] as [rows, H, n, dh]
        long[] cacheStride = {(long) h * capacity * dh, (long) capacity * dh, dh, 1};
        long[] cached = {rows, h, s, dh};
        for (int l = 0; l < c.layers(); l++) {
            INDArray a = ops.layerNorm(hidden, w.ln1g[l], w.ln1b[l]);
            INDArray qkv = affine(a, w.wqkv[l], w.bqkv[l]);                                   // [rows * n, 3D], c
            INDArray q = view(qkv, fresh, qkvStride, 0);                                      // [rows, H, n, dh]
            view(keys[l], fresh, cacheStride, (long) slots * dh).assign(view(qkv, fresh, qkvStride, d));
            view(values[l], fresh, cacheStride, (long) slots * dh).assign(view(qkv, fresh, qkvStride, 2L * d));
            INDArray k = view(keys[l], cached, cacheStride, 0);
            INDArray v = view(values[l], cached, cacheStride, 0);
            INDArray y;
            if (n == 1) {
                // one query per row: broadcast multiply + sum over the cache (measured ~10% faster per step than
                // rows*H tiny batched GEMMs). scores[b,h,0,j] = sum_e q[b,h,0,e] K[b,h,j,e]
                INDArray scores = k.mul(q).sum(true, 3).reshape(rows, h, 1, s).muli(scale);               // [rows, H, 1, s]
                if (mask != null) {
                    scores.addi(mask);
                }
                INDArray probs = scores.ulike();
                ops.softmax(scores, probs, 3);
                y = v.mul(probs.reshape(rows, h, s, 1)).sum(2).reshape(x, d);                              // [rows, D]
            } else {
                INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(scale);                       // [rows, H, n, s]
                if (mask != null) {
                    scores.addi(mask);
                }
                INDArray probs = scores.ulike();
                ops.softmax(scores, probs, 3);
                y = Nd4j.matmul(probs, v).permute(0, 2, 1, 3).dup('c').reshape(x, d);                      // [X, D]
            }
            addAffine(hidden, y, w.wo[l], w.bo[l]);
            INDArray m = affine(ops.layerNorm(hidden, w.ln2g[l], w.ln2b[l]), w.w1[l], w.b1[l]);
            Nd4j.getExecutioner().exec(new GELU(m, m));
            addAffine(hidden, m, w.w2[l], w.b2[l]);
        }
        if (n > 1) {
            int[] last = new int[rows];
            for (int b = 0; b < rows; b++) {
                last[b] = b * n + n - 1;
            }
            hidden = Nd4j.pullRows(hidden, 1, last);
        }
        INDArray logits = affine(ops.layerNorm(hidden, w.lnfg, w.lnfb), w.whead, w.bhead);   // [rows, V]
        if (anyInactive) {
            double[] keep = new double[rows];
            for (int b = 0; b < rows; b++) {
                keep[b] = validNew[b][n - 1] ? 0 : 1;
            }
            INDArray keepCol = Nd4j.createFromArray(keep).castTo(dt).reshape(rows, 1);
            INDArray takeCol = keepCol.rsub(1.0);
            logits = logits.muliColumnVector(takeCol).addi(next.mulColumnVector(keepCol));
        }
        return logits;
    }

    /**
     * Additive attention mask {@code [rows, 1, n, s]}: 0 where slot j is valid for row b and j <= query slot; null when
     * no slot is masked (adding zeros changes nothing, so the step skips it: one op per layer less).
     */
    private INDArray mask(int n, int s, DataType dt) {
        float[] m = new float[rows * n * s];
        boolean any = false;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < n; i++) {
                int base = (b * n + i) * s;
                int query = slots + i;
                for (int j = 0; j < s; j++) {
                    boolean masked = !valid[b][j] || j > query;
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
    private static INDArray affine(INDArray x, INDArray w, INDArray b) {
        // broadcast add of the rank-1 bias: the same sums as addiRowVector, 7-30 us instead of 30-70 us per call on
        // [16..128, 64..512] (addiRowVector wins only on thousands of rows, the update's shapes)
        return TransformerPass.mm(x, w, false, false).addi(b);
    }

    /**
     * {@code acc += x · w + b} in place (a residual connection): the product accumulates into {@code acc}, then the
     * bias; one array and one op fewer than adding {@link #affine}'s result (about 20 us per call on the decoding
     * step's arrays). Rounding differs from {@code acc + (x · w + b)} in the last bits only.
     */
    private static void addAffine(INDArray acc, INDArray x, INDArray w, INDArray b) {
        TransformerPass.mmAccumulate(x, w, acc);
        acc.addi(b);
    }

    /** A view of {@code a}'s buffer: {@code shape} and {@code stride} in elements, {@code offset} past a's own. */
    private static INDArray view(INDArray a, long[] shape, long[] stride, long offset) {
        return Nd4j.create(a.data(), shape, stride, a.offset() + offset, 'c');
    }

    private void ensureCapacity(int needed) {
        if (needed <= capacity) {
            return;
        }
        // doubling, capped at the model's length while that suffices (padding and inactive steps can use more slots)
        int newCap = needed > maxSlots() ? Math.max(needed, 2 * capacity) : Math.min(2 * capacity, maxSlots());
        newCap = Math.max(newCap, needed);
        INDArray[] oldKeys = keys;
        INDArray[] oldValues = values;
        allocateCaches(newCap);
        for (int l = 0; l < keys.length; l++) {
            keys[l].get(all(), all(), interval(0, capacity), all()).assign(oldKeys[l]);
            values[l].get(all(), all(), interval(0, capacity), all()).assign(oldValues[l]);
            keys[l].get(all(), all(), interval(capacity, newCap), all()).assign(0);      // uninitialised memory
            values[l].get(all(), all(), interval(capacity, newCap), all()).assign(0);
        }
        free(oldKeys);
        free(oldValues);
        for (int b = 0; b < rows; b++) {
            valid[b] = java.util.Arrays.copyOf(valid[b], newCap);
        }
        capacity = newCap;
    }

    /** The most slots a row can use: the prefix and the model's maximum length (the caches never grow beyond it). */
    private int maxSlots() {
        return positionOffset + w.config.maxLength();
    }

    /** Rows {@code idx} of a c-ordered rank-4 array into {@code out}, through 2-D views (pullRows works on matrices). */
    private static void pullRows4(INDArray a, INDArray out, int[] idx) {
        long[] shape = a.shape();
        INDArray flat = a.reshape('c', shape[0], shape[1] * shape[2] * shape[3]);
        Nd4j.pullRows(flat, out.reshape('c', idx.length, shape[1] * shape[2] * shape[3]), 1, idx);
    }
}
