package io.github.dl4jgrpoma.transformer;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * One forward pass of a text {@link TransformerPolicy} written with INDArray ops (the formulas of its class comment:
 * embeddings by row lookup, pre-LayerNorm layers, additive -1e9 attention mask from the input's 0/1 mask or the causal
 * one, GELU {@code x * sigmoid(1.702 x)}, the formula of libnd4j's {@code gelu}) and its backward pass by the chain rule, with the
 * activations of the forward pass kept for it. Per layer the backward pass costs eight matrix products of the token
 * rows with the layer's weights (and products with a row of ones for the bias and gain gradients), four batched
 * products for attention, and a few elementwise ops; no per-op graph bookkeeping. Every product writes into a new c-ordered array ({@link #mm}), which in M2.1 is what sends it to BLAS;
 * run inside a {@link PassWorkspace} so those arrays are reused memory ({@link TransformerBackprop}).
 * {@code TransformerBackpropTest} checks logits and gradients against the SameDiff graph in double precision.
 */
final class TransformerPass {
    private static final String LAYER_WORKSPACE = "dl4jgrpoma-transformer-layer-backward";
    /** The constant of libnd4j's {@code gelu}, {@code x * sigmoid(1.702 x)}: the float 1.702f also in double precision. */
    private static final double GELU_SCALE = 1.702f;
    private final TransformerWeights w;
    private final int rows;
    private final int length;
    private final int[] tokens;
    private final int[] positions;
    private final Layer[] layers;
    private final NormalizedRows lnf;
    private final INDArray xf;
    private final INDArray logits;
    private boolean backwardDone;

    /** What the backward pass of one layer reads. */
    private static final class Layer {
        NormalizedRows ln1;
        INDArray a;
        INDArray q;
        INDArray k;
        INDArray v;
        INDArray p;
        INDArray o;
        NormalizedRows ln2;
        INDArray b;
        INDArray u;
        INDArray sig;
        INDArray g;
    }

    TransformerPass(TransformerWeights w, PolicyInput input, boolean keep) {
        TransformerConfig c = w.config;
        this.w = w;
        this.rows = input.batchSize();
        this.length = input.length();
        int n = rows * length;
        int d = c.width();
        int h = c.heads();
        int dh = c.headWidth();
        DataType dt = c.dataType();
        this.tokens = ids(input.tokens(), c.vocabSize(), "token");
        this.positions = input.positions().map(p -> ids(p, c.maxLength(), "position")).orElseGet(this::defaultPositions);
        INDArray mask = additiveMask(input, dt);                                                   // [B,1,L,L]
        double scale = 1.0 / Math.sqrt(dh);
        INDArray x = Nd4j.pullRows(w.wte, 1, tokens).addi(Nd4j.pullRows(w.wpe, 1, positions));     // [N,D]
        this.layers = keep ? new Layer[c.layers()] : null;
        for (int l = 0; l < c.layers(); l++) {
            Layer s = new Layer();
            s.ln1 = NormalizedRows.of(x);
            s.a = s.ln1.scale(w.ln1g[l], w.ln1b[l]);
            INDArray qkv = affine(s.a, w.wqkv[l], w.bqkv[l]).reshape('c', rows, length, 3, h, dh).permute(2, 0, 3, 1, 4);
            s.q = heads(qkv, 0);                                                                       // [B*H,L,dh]
            s.k = heads(qkv, 1);
            s.v = heads(qkv, 2);
            INDArray scores = mm(s.q, s.k, false, true).muli(scale);                                 // [B*H,L,L]
            scores.reshape('c', rows, h, length, length).addi(mask);
            s.p = scores.ulike();
            Nd4j.exec(new SoftMax(scores, s.p, 2));
            s.o = mm(s.p, s.v, false, false).reshape('c', rows, h, length, dh).permute(0, 2, 1, 3).dup('c')
                    .reshape('c', n, d);                                                                // [N,D]
            x.addi(affine(s.o, w.wo[l], w.bo[l]));
            s.ln2 = NormalizedRows.of(x);
            s.b = s.ln2.scale(w.ln2g[l], w.ln2b[l]);
            s.u = affine(s.b, w.w1[l], w.b1[l]);                                                       // [N,F]
            s.sig = Transforms.sigmoid(s.u.mul(GELU_SCALE), false);
            s.g = s.u.mul(s.sig);                                                   // gelu(u) = u sigmoid(1.702 u)
            x.addi(affine(s.g, w.w2[l], w.b2[l]));
            if (keep) {
                layers[l] = s;
            }
        }
        this.lnf = NormalizedRows.of(x);
        this.xf = lnf.scale(w.lnfg, w.lnfb);
        this.logits = affine(xf, w.whead, w.bhead).reshape('c', rows, length, c.vocabSize());
    }

    /** Logits {@code [B, L, V]} (in the scope the pass ran in). */
    INDArray logits() {
        return logits;
    }

    /**
     * Parameter gradients for {@code d loss / d logits} (by variable name, shaped like the parameters); once per pass.
     *
     * @throws IllegalStateException    if the pass kept no activations or backward already ran
     * @throws IllegalArgumentException if the gradient's shape differs from the logits'
     */
    Map<String, INDArray> backward(INDArray logitsGradient) {
        if (layers == null) {
            throw new IllegalStateException("this pass kept no activations; construct it with keep = true for a backward pass");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward already ran on this pass (it overwrites activations); run a new forward pass");
        }
        if (!Arrays.equals(logitsGradient.shape(), logits.shape())) {
            throw new IllegalArgumentException("the logits gradient has shape " + Arrays.toString(logitsGradient.shape())
                    + " but the logits are " + Arrays.toString(logits.shape()));
        }
        backwardDone = true;
        TransformerConfig c = w.config;
        int n = rows * length;
        Map<String, INDArray> grads = new LinkedHashMap<>();
        INDArray[] ln = new INDArray[2];
        INDArray dl = logitsGradient.castTo(c.dataType()).dup('c').reshape('c', n, c.vocabSize());
        grads.put(TransformerPolicy.W_HEAD, mm(xf, dl, true, false));
        grads.put(TransformerPolicy.B_HEAD, columnSums(dl));
        INDArray dx = lnf.backward(mm(dl, w.whead, false, true), w.lnfg, ln);
        grads.put(TransformerPolicy.LNF_G, ln[0]);
        grads.put(TransformerPolicy.LNF_B, ln[1]);
        Map<String, INDArray> perLayer = new LinkedHashMap<>();
        for (int l = layers.length - 1; l >= 0; l--) {
            // the layer's temporaries live in an inner workspace reused by every layer; its gradients are copied out
            // (put) and dx, of the outer scope, is updated in place
            try (MemoryWorkspace inner = PassWorkspace.open(LAYER_WORKSPACE)) {
                backwardLayer(l, dx, perLayer);
            }
        }
        grads.put(TransformerPolicy.WTE, scatterRows(tokens, dx, c.vocabSize()));
        grads.put(TransformerPolicy.WPE, scatterRows(positions, dx, c.maxLength()));
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : TransformerPolicy.variableNames(c.layers())) {
            INDArray g = grads.containsKey(name) ? grads.get(name) : perLayer.get(name);
            long[] shape = w.byName(name).shape();
            // no view where the shape already fits: the caller frees what it gets (a view owns no memory)
            ordered.put(name, Arrays.equals(g.shape(), shape) ? g : g.reshape(shape));
        }
        return ordered;
    }

    /** The backward pass of layer {@code l}: its gradients into {@code perLayer} (detached), {@code dx} updated in place. */
    private void backwardLayer(int l, INDArray dx, Map<String, INDArray> perLayer) {
        TransformerConfig c = w.config;
        int n = rows * length;
        int d = c.width();
        int h = c.heads();
        int dh = c.headWidth();
        double scale = 1.0 / Math.sqrt(dh);
        INDArray[] ln = new INDArray[2];
        Layer s = layers[l];
        // MLP: x += gelu(b w1 + b1) w2 + b2
        put(perLayer, l, "w2", mm(s.g, dx, true, false));
        put(perLayer, l, "b2", columnSums(dx));
        INDArray du = mm(dx, w.w2[l], false, true);                               // [N,F]
        // gelu'(u) = sig + 1.702 u sig (1 - sig) = sig (1 + 1.702 u (1 - sig)), sig = sigmoid(1.702 u)
        du.muli(s.sig.rsub(1.0).muli(s.u).muli(GELU_SCALE).addi(1.0).muli(s.sig));
        put(perLayer, l, "w1", mm(s.b, du, true, false));
        put(perLayer, l, "b1", columnSums(du));
        dx.addi(s.ln2.backward(mm(du, w.w1[l], false, true), w.ln2g[l], ln));
        put(perLayer, l, "ln2_g", ln[0]);
        put(perLayer, l, "ln2_b", ln[1]);
        // attention: x += concat_heads(softmax(q k^T * scale + mask) v) wo + bo
        put(perLayer, l, "wo", mm(s.o, dx, true, false));
        put(perLayer, l, "bo", columnSums(dx));
        INDArray dO = mm(dx, w.wo[l], false, true).reshape('c', rows, length, h, dh)
                .permute(0, 2, 1, 3).dup('c').reshape('c', (long) rows * h, length, dh);            // [B*H,L,dh]
        INDArray dp = mm(dO, s.v, false, true);                                                   // [B*H,L,L]
        INDArray dv = mm(s.p, dO, true, false);
        INDArray ds = dp.subi(dp.mul(s.p).sum(true, 2)).muli(s.p).muli(scale);                    // softmax backward
        INDArray dq = mm(ds, s.k, false, false);
        INDArray dk = mm(ds, s.q, true, false);
        INDArray dqkv = Nd4j.create(c.dataType(), rows, length, 3, h, dh);
        INDArray view = dqkv.permute(2, 0, 3, 1, 4);
        view.get(point(0), all(), all(), all(), all()).assign(dq.reshape('c', rows, h, length, dh));
        view.get(point(1), all(), all(), all(), all()).assign(dk.reshape('c', rows, h, length, dh));
        view.get(point(2), all(), all(), all(), all()).assign(dv.reshape('c', rows, h, length, dh));
        dqkv = dqkv.reshape('c', n, 3L * d);
        put(perLayer, l, "wqkv", mm(s.a, dqkv, true, false));
        put(perLayer, l, "bqkv", columnSums(dqkv));
        dx.addi(s.ln1.backward(mm(dqkv, w.wqkv[l], false, true), w.ln1g[l], ln));
        put(perLayer, l, "ln1_g", ln[0]);
        put(perLayer, l, "ln1_b", ln[1]);
    }

    /** Part {@code i} (0 q, 1 k, 2 v) of {@code qkv [3,B,H,L,dh]} as a c-ordered {@code [B*H, L, dh]}. */
    private INDArray heads(INDArray qkv, int i) {
        INDArray part = qkv.get(point(i), all(), all(), all(), all()).dup('c');
        return part.reshape('c', part.size(0) * part.size(1), length, part.size(3));
    }

    private static void put(Map<String, INDArray> m, int layer, String suffix, INDArray g) {
        m.put(TransformerPolicy.layerVar(layer, suffix), g.detach());
    }

    /** {@code x w + b}. */
    private static INDArray affine(INDArray x, INDArray w, INDArray b) {
        return mm(x, w, false, false).addiRowVector(b);
    }

    /**
     * {@code op(a) op(b)} for matrices, or per batch entry for {@code [..., m, k]} arrays of equal leading dimensions,
     * into a new c-ordered array. M2.1 runs a product whose output array is given to BLAS (50-90 GFLOP/s measured on one
     * core here: {@code Nd4j.gemm} for matrices, the {@code Mmul} op for batches), one that allocates its own output
     * (INDArray.mmul, Nd4j.matmul) through slower paths (4-15 GFLOP/s).
     */
    static INDArray mm(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        INDArray x = plain(a);
        INDArray y = plain(b);
        long[] sa = x.shape();
        long[] sb = y.shape();
        int r = sa.length;
        long[] out = sa.clone();
        out[r - 2] = transposeA ? sa[r - 1] : sa[r - 2];
        out[r - 1] = transposeB ? sb[r - 2] : sb[r - 1];
        INDArray c = Nd4j.create(x.dataType(), out, 'c');
        if (r == 2) {
            Nd4j.gemm(x, y, c, transposeA, transposeB, 1.0, 0.0);
        } else {
            Nd4j.exec(new Mmul(x, y, c, MMulTranspose.builder().transposeA(transposeA).transposeB(transposeB).build()));
        }
        return c;
    }

    /**
     * {@code c += a · b} in place for {@code a [m, k]}, {@code b [k, n]} and {@code c [m, n]} of one data type: BLAS
     * accumulates into {@code c} ({@code beta = 1}), so a residual connection costs no array and no add of its own.
     * {@code a} and {@code b} may be any views; {@code c} must be a c-ordered matrix with default strides (a block of
     * whole rows of a larger one is fine).
     *
     * @throws IllegalArgumentException if {@code c} is not such a matrix, or the shapes or data types do not match
     */
    static void mmAccumulate(INDArray a, INDArray b, INDArray c) {
        if (c.rank() != 2 || c.ordering() != 'c' || !org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(c)) {
            throw new IllegalArgumentException("the accumulator must be a c-ordered matrix with default strides, got "
                    + c.shapeInfoToString());
        }
        if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(0) || a.size(0) != c.size(0) || b.size(1) != c.size(1)
                || a.dataType() != c.dataType() || b.dataType() != c.dataType()) {
            throw new IllegalArgumentException("c += a · b needs a [m, k], b [k, n], c [m, n] of one data type, got a "
                    + java.util.Arrays.toString(a.shape()) + " " + a.dataType() + ", b " + java.util.Arrays.toString(b.shape())
                    + " " + b.dataType() + ", c " + java.util.Arrays.toString(c.shape()) + " " + c.dataType());
        }
        Nd4j.gemm(plain(a), plain(b), c, false, false, 1.0, 1.0);
    }

    /**
     * Column sums {@code [cols]} of {@code a [rows, cols]} as a product with a row of ones (BLAS; {@code sum(0)} took 6x
     * as long on {@code [1536, 512]}).
     */
    static INDArray columnSums(INDArray a) {
        return mm(Nd4j.ones(a.dataType(), 1, a.size(0)), a, false, false).reshape(a.size(1));
    }

    /** {@code a} itself if it is c-ordered with default strides, else a c-ordered copy. */
    private static INDArray plain(INDArray a) {
        return a.ordering() == 'c' && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    private int[] defaultPositions() {
        int[] p = new int[rows * length];
        for (int i = 0; i < p.length; i++) {
            p[i] = i % length;
        }
        return p;
    }

    /** The ids of {@code [B,L]} as a flat vector, each checked to lie in {@code [0, limit)}. */
    private static int[] ids(INDArray a, int limit, String what) {
        int[] out = a.castTo(DataType.INT32).dup('c').reshape(a.length()).toIntVector();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0 || out[i] >= limit) {
                throw new IllegalArgumentException(what + " id " + out[i] + " at flat index " + i + " is outside [0, " + limit
                        + ")" + (what.equals("position") ? "; keep every sequence of a packed row within maxLength = "
                        + limit + " tokens" : "; use ids of the model's vocabulary"));
            }
        }
        return out;
    }

    /** {@code (1 - mask) * -1e9} as {@code [B,1,L,L]}, from the input's 0/1 mask or the causal one. */
    private INDArray additiveMask(PolicyInput input, DataType dt) {
        INDArray m01 = PackedRowInputs.feed(input, w.config.maxLength(), dt).get(TransformerPolicy.ATTENTION_MASK);
        return m01.rsub(1.0).muli(TransformerPolicy.MASK_VALUE).reshape('c', rows, 1, length, length);
    }

    /**
     * The gradient of a row lookup: {@code out[r] = sum of dx[i] over the flat rows i with ids[i] = r}, {@code [rows, D]}.
     * A loop over the ids (O(N D) time, memory of the output only), not a product with a one-hot {@code [N, rows]}
     * matrix, which for a large vocabulary would not fit.
     */
    private static INDArray scatterRows(int[] ids, INDArray dx, int rows) {
        int d = (int) dx.size(1);
        if (dx.dataType() == DataType.DOUBLE) {
            double[] src = dx.dup('c').data().asDouble();
            double[] acc = new double[Math.multiplyExact(rows, d)];
            for (int i = 0; i < ids.length; i++) {
                int to = ids[i] * d;
                int from = i * d;
                for (int j = 0; j < d; j++) {
                    acc[to + j] += src[from + j];
                }
            }
            return Nd4j.create(acc, new long[] {rows, d}, 'c');
        }
        float[] src = dx.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] acc = new float[Math.multiplyExact(rows, d)];
        for (int i = 0; i < ids.length; i++) {
            int to = ids[i] * d;
            int from = i * d;
            for (int j = 0; j < d; j++) {
                acc[to + j] += src[from + j];
            }
        }
        return Nd4j.create(acc, new long[] {rows, d}, 'c').castTo(dx.dataType());
    }
}
