package io.github.dl4jgrpoma.transformer;

import io.github.dl4jgrpoma.rollout.DecodingChecks;
import io.github.dl4jgrpoma.rollout.DecodingState;

import static io.github.dl4jgrpoma.transformer.CacheArrays.addAffine;
import static io.github.dl4jgrpoma.transformer.CacheArrays.affine;
import static io.github.dl4jgrpoma.transformer.CacheArrays.pullRows4;
import static io.github.dl4jgrpoma.transformer.CacheArrays.view;
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
 *
 * <p>Branches: a {@link #fork(int[], int) fork} that repeats every row M times ({@code {0,0,1,1}}), with few appends
 * to follow, keeps one cache row per source row instead of M copies (our choice, for GRPO-MA's M answers per thought;
 * see {@link #fork(int[], int)}). Each of the state's {@link #rows()} is then a branch {@code (b, i)}: it sees cache
 * row {@code b}'s slots before the fork and its own later slots, which sit at {@code branchStart + step * M + i}; an
 * append is one chunk of M new slots per cache row, attended with the M queries of a row in one batched product
 * (the slots of a row's other branches masked out). A fork of a branched state copies each branch out into a plain row.
 */
final class KvCacheState implements DecodingState {
    private static final String WORKSPACE_ID = "dl4jgrpoma-kv-cache-step";
    private final TransformerWeights w;
    private final int rows;             // cache rows; the state's rows are rows * branches
    private final int branches;         // 1: a plain state
    private final int branchStart;      // first slot of the branches' own tokens (0 when plain)
    private final int[] lengths;        // per state row
    private final int positionOffset;
    private int slots;
    private int capacity;
    private INDArray[] keys;            // null once closed
    private INDArray[] values;
    private final boolean[][] valid;    // per cache row and slot
    private INDArray next;              // [rows * branches, V]
    private final DecodeOpContexts ops = new DecodeOpContexts();

    KvCacheState(TransformerWeights w, int rows, int capacity) {
        this(w, rows, capacity, 0);
    }

    /** A state whose tokens start at position {@code positionOffset} (the prefix length). */
    KvCacheState(TransformerWeights w, int rows, int capacity, int positionOffset) {
        this(w, rows, 1, 0, positionOffset, 0, Math.min(capacity, positionOffset + w.config.maxLength()));
        for (int l = 0; l < w.config.layers(); l++) {
            keys[l].assign(0);                 // uninitialised memory; a fresh state's slots start empty
            values[l].assign(0);
        }
        for (int b = 0; b < rows; b++) {
            valid[b] = new boolean[this.capacity];
        }
        this.next = Nd4j.create(w.config.dataType(), rows, w.config.vocabSize());
    }

    /** The fields; caches allocated, uninitialised; valid rows and next to be filled by the caller. */
    private KvCacheState(TransformerWeights w, int rows, int branches, int branchStart, int positionOffset, int slots,
                         int capacity) {
        this.w = w;
        this.rows = rows;
        this.branches = branches;
        this.branchStart = branchStart;
        this.positionOffset = positionOffset;
        this.lengths = new int[rows * branches];
        this.slots = slots;
        this.capacity = capacity;
        this.valid = new boolean[rows][];
        allocateCaches(capacity);
    }

    /** Rows {@code idx} of a plain state, copied. */
    private static KvCacheState pull(KvCacheState src, int[] idx) {
        KvCacheState s = new KvCacheState(src.w, idx.length, 1, 0, src.positionOffset, src.slots, src.capacity);
        for (int i = 0; i < idx.length; i++) {
            s.lengths[i] = src.lengths[idx[i]];
            s.valid[i] = src.valid[idx[i]].clone();
        }
        for (int l = 0; l < s.keys.length; l++) {
            pullRows4(src.keys[l], s.keys[l], idx);
            pullRows4(src.values[l], s.values[l], idx);
        }
        s.next = Nd4j.pullRows(src.next, 1, idx);
        return s;
    }

    /** Every row of a plain state as {@code m} branches, with room for {@code maxAppends} appends. */
    private static KvCacheState branch(KvCacheState src, int m, int maxAppends) {
        int cap = src.slots + m * Math.max(1, maxAppends);
        KvCacheState s = new KvCacheState(src.w, src.rows, m, src.slots, src.positionOffset, src.slots, cap);
        int[] idx = new int[src.rows * m];
        for (int r = 0; r < idx.length; r++) {
            idx[r] = r / m;
            s.lengths[r] = src.lengths[r / m];
        }
        for (int b = 0; b < src.rows; b++) {
            s.valid[b] = java.util.Arrays.copyOf(src.valid[b], cap);
        }
        long[] shape = {src.rows, src.w.config.heads(), src.slots, src.w.config.headWidth()};
        for (int l = 0; l < s.keys.length; l++) {        // slots >= src.slots are written before they are read
            view(s.keys[l], shape, s.cacheStride(), 0).assign(view(src.keys[l], shape, src.cacheStride(), 0));
            view(s.values[l], shape, s.cacheStride(), 0).assign(view(src.values[l], shape, src.cacheStride(), 0));
        }
        s.next = Nd4j.pullRows(src.next, 1, idx);
        return s;
    }

    /**
     * Branches {@code idx} of a branched state as plain rows: cache row {@code b}'s slots before the fork, then the
     * branch's own slots in order, with room for {@code maxAppends} appends (the model's maximum length when negative;
     * a larger hint is capped there too, so that a hint of, say, a million appends does not allocate a million slots;
     * appends past the capacity grow the caches as usual).
     */
    private static KvCacheState materialise(KvCacheState src, int[] idx, int maxAppends) {
        int m = src.branches;
        int bs = src.branchStart;
        int steps = (src.slots - bs) / m;
        int newSlots = bs + steps;
        int full = Math.max(newSlots + 1, src.maxSlots());
        int cap = maxAppends < 0 ? full : (int) Math.min(full, (long) newSlots + Math.max(1, maxAppends));
        KvCacheState s = new KvCacheState(src.w, idx.length, 1, 0, src.positionOffset, newSlots, cap);
        int[] parent = new int[idx.length];
        for (int r = 0; r < idx.length; r++) {
            int b = idx[r] / m;
            int i = idx[r] % m;
            parent[r] = b;
            s.lengths[r] = src.lengths[idx[r]];
            s.valid[r] = java.util.Arrays.copyOf(src.valid[b], cap);
            for (int k = 0; k < steps; k++) {
                s.valid[r][bs + k] = src.valid[b][bs + k * m + i];
            }
            java.util.Arrays.fill(s.valid[r], newSlots, cap, false);
        }
        for (int l = 0; l < s.keys.length; l++) {
            CacheArrays.copyBranches(src.keys[l], src.cacheStride(), m, bs, steps, s.keys[l], s.cacheStride(), parent, idx);
            CacheArrays.copyBranches(src.values[l], src.cacheStride(), m, bs, steps, s.values[l], s.cacheStride(), parent, idx);
        }
        s.next = Nd4j.pullRows(src.next, 1, idx);
        return s;
    }

    /** Strides of a cache {@code [rows, H, capacity, dh]}. */
    private long[] cacheStride() {
        long dh = w.config.headWidth();
        return new long[] {w.config.heads() * capacity * dh, capacity * dh, dh, 1};
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
        return rows * branches;
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
        DecodingChecks.checkAppend(rows(), tokens, active);
        int n = branches;                         // one chunk of M slots per cache row when branched
        int[][] t = new int[rows][n];
        boolean[][] v = new boolean[rows][n];
        for (int r = 0; r < tokens.length; r++) {
            t[r / n][r % n] = tokens[r];
            v[r / n][r % n] = active[r];
        }
        consume(t, v);
    }

    @Override
    public DecodingState fork(int[] idx) {
        DecodingChecks.checkFork(rows(), idx);
        checkOpen();
        return branches > 1 ? materialise(this, idx, -1) : pull(this, idx);
    }

    /**
     * A fork; when it repeats every row of a plain state M > 1 times ({@code idx[r] = r / M}) and
     * {@code M * maxAppends <= } the slots used so far, a branched state (see the class comment): no copy of the
     * shared slots per branch, and attention over the row's slots with one batched product per row and head for its
     * M queries. Our choice of bound: the branches' own slots (M per append, each seen by one branch) then never
     * outnumber the shared ones, so the masked-out slots cost less than the copies and the per-row products save.
     */
    @Override
    public DecodingState fork(int[] idx, int maxAppends) {
        DecodingChecks.checkFork(rows(), idx);
        DecodingChecks.checkAppends(maxAppends);
        checkOpen();
        if (branches > 1) {
            return materialise(this, idx, maxAppends);
        }
        int m = idx.length % rows == 0 ? idx.length / rows : 1;
        for (int r = 0; r < idx.length && m > 1; r++) {
            if (idx[r] != r / m) {
                m = 1;
            }
        }
        if (m > 1 && (long) m * maxAppends <= slots) {
            return branch(this, m, maxAppends);
        }
        // room for the announced appends (capped at the model's length), so that the fork does not reallocate its
        // caches while it decodes: made in whichever of this state and the fork has fewer rows to copy
        int room = (int) Math.min((long) slots + maxAppends, Math.max(capacity, maxSlots()));
        if (idx.length > rows) {
            ensureCapacity(room);
            return pull(this, idx);
        }
        KvCacheState fork = pull(this, idx);
        fork.ensureCapacity(room);
        return fork;
    }

    /** M when the state's rows are branches of its cache rows, 1 when plain; for tests. */
    int branches() {
        return branches;
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
        if (branches > 1 && n != branches) {
            throw new IllegalStateException("a branched state consumes chunks of " + branches + " slots, got " + n);
        }
        int t = c.maxLength();
        int[] count = new int[rows()];
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < n; i++) {
                if (!validNew[b][i]) {
                    continue;
                }
                count[row(b, i)]++;
                if (tokens[b][i] < 0 || tokens[b][i] >= c.vocabSize()) {
                    throw new IllegalArgumentException("token " + tokens[b][i] + " of row " + row(b, i) + " is outside [0, "
                            + c.vocabSize() + ")");
                }
            }
        }
        for (int r = 0; r < count.length; r++) {
            if (lengths[r] + count[r] > t) {
                throw new IllegalArgumentException("row " + r + " would hold " + (lengths[r] + count[r])
                        + " tokens, more than the model's maximum length " + t + "; cap prompt + thought + answer at " + t);
            }
        }
        ensureCapacity(slots + n);
        int s = slots + n;
        int x = rows * n;
        int[] tokFlat = new int[x];
        int[] posFlat = new int[x];
        boolean anyInactive = false;
        for (int b = 0; b < rows; b++) {
            for (int i = 0; i < n; i++) {
                boolean ok = validNew[b][i];
                int r = row(b, i);
                tokFlat[b * n + i] = ok ? tokens[b][i] : 0;
                posFlat[b * n + i] = positionOffset + (ok ? lengths[r]++ : Math.min(lengths[r], t - 1));
                valid[b][slots + i] = ok;
                anyInactive |= !ok && (branches > 1 || i == n - 1);
            }
        }
        // Intermediates live in a workspace (a reused block: no per-op off-heap allocation); only the new
        // next-token logits leave it (detach) and the caches, allocated outside, are written by assign.
        try (MemoryWorkspace ws = PassWorkspace.open(WORKSPACE_ID)) {
            next = forward(tokFlat, posFlat, validNew, anyInactive, n, s).detach();
        }
        slots = s;
    }

    /** The state row of new slot {@code i} of cache row {@code b}'s chunk: its branch, or the cache row when plain. */
    private int row(int b, int i) {
        return branches > 1 ? b * branches + i : b;
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
        INDArray mask = CacheArrays.mask(valid, slots, n, s, branches, branchStart, dt);
        double scale = 1.0 / Math.sqrt(dh);
        // Views built from buffer, shape, strides and offset: same elements as reshape/permute/get(interval), a
        // fraction of their cost (10 us against 15-40 us per view, ~10 views per layer and token step).
        long[] fresh = {rows, h, n, dh};
        long[] qkvStride = {(long) n * 3 * d, dh, 3L * d, 1};                  // qkv [rows * n, 3D] as [rows, H, n, dh]
        long[] cacheStride = cacheStride();
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
        if (n > 1 && branches == 1) {                      // a prefill chunk: the last slot's logits per row
            int[] last = new int[rows];
            for (int b = 0; b < rows; b++) {
                last[b] = b * n + n - 1;
            }
            hidden = Nd4j.pullRows(hidden, 1, last);
        }
        INDArray logits = affine(ops.layerNorm(hidden, w.lnfg, w.lnfb), w.whead, w.bhead);   // [rows, V]
        if (anyInactive) {
            double[] keep = new double[rows()];           // 1: an inactive row keeps its logits
            for (int r = 0; r < keep.length; r++) {
                keep[r] = (branches > 1 ? validNew[r / n][r % n] : validNew[r][n - 1]) ? 0 : 1;
            }
            INDArray keepCol = Nd4j.createFromArray(keep).castTo(dt).reshape(keep.length, 1);
            INDArray takeCol = keepCol.rsub(1.0);
            logits = logits.muliColumnVector(takeCol).addi(next.mulColumnVector(keepCol));
        }
        return logits;
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

    /**
     * The most tokens a row can hold, with the prefix: the model's maximum length plus the prefix. The caches grow
     * beyond it only for slots that hold none of a row's tokens (padding, inactive steps, sibling branches' slots).
     */
    private int maxSlots() {
        return positionOffset + w.config.maxLength();
    }
}
