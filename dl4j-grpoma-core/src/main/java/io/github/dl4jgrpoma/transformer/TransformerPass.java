package io.github.dl4jgrpoma.transformer;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.custom.XwPlusB;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.GELUDerivative;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.policy.BackpropPass;
import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * One forward pass of a text {@link TransformerPolicy} written with INDArray ops (the formulas of its class comment:
 * embeddings by row lookup, pre-LayerNorm layers, additive -1e9 attention mask from the input's 0/1 mask or the causal
 * one, GELU {@code x * sigmoid(1.702 x)} as libnd4j's {@code gelu}) and its backward pass by the chain rule, with the
 * activations of the forward pass kept for it. Per layer the backward pass costs six matrix products of the token rows
 * with the layer's weights, four batched products for attention, and a few elementwise ops; no per-op graph
 * bookkeeping. {@code TransformerBackpropTest} checks logits and gradients against the SameDiff graph in double
 * precision.
 */
final class TransformerPass implements BackpropPass {
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
            s.q = qkv.get(point(0), all(), all(), all(), all()).dup('c');                            // [B,H,L,dh]
            s.k = qkv.get(point(1), all(), all(), all(), all()).dup('c');
            s.v = qkv.get(point(2), all(), all(), all(), all()).dup('c');
            INDArray scores = Nd4j.matmul(s.q, s.k, false, true, false).muli(scale).addi(mask);       // [B,H,L,L]
            s.p = scores.ulike();
            Nd4j.exec(new SoftMax(scores, s.p, 3));
            s.o = Nd4j.matmul(s.p, s.v).permute(0, 2, 1, 3).dup('c').reshape('c', n, d);               // [N,D]
            x.addi(affine(s.o, w.wo[l], w.bo[l]));
            s.ln2 = NormalizedRows.of(x);
            s.b = s.ln2.scale(w.ln2g[l], w.ln2b[l]);
            s.u = affine(s.b, w.w1[l], w.b1[l]);                                                       // [N,F]
            s.g = s.u.ulike();
            Nd4j.exec(new GELU(s.u, s.g));
            x.addi(affine(s.g, w.w2[l], w.b2[l]));
            if (keep) {
                layers[l] = s;
            }
        }
        this.lnf = NormalizedRows.of(x);
        this.xf = lnf.scale(w.lnfg, w.lnfb);
        this.logits = affine(xf, w.whead, w.bhead).reshape('c', rows, length, c.vocabSize());
    }

    @Override
    public INDArray logits() {
        return logits;
    }

    @Override
    public Map<String, INDArray> backward(INDArray logitsGradient) {
        if (layers == null) {
            throw new IllegalStateException("this pass kept no activations; run forward(input, weights, true) for a backward pass");
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
        int d = c.width();
        int h = c.heads();
        int dh = c.headWidth();
        double scale = 1.0 / Math.sqrt(dh);
        Map<String, INDArray> grads = new LinkedHashMap<>();
        INDArray[] ln = new INDArray[2];
        INDArray dl = logitsGradient.castTo(c.dataType()).dup('c').reshape('c', n, c.vocabSize());
        grads.put(TransformerPolicy.W_HEAD, Nd4j.matmul(xf, dl, true, false, false));
        grads.put(TransformerPolicy.B_HEAD, dl.sum(0));
        INDArray dx = lnf.backward(Nd4j.matmul(dl, w.whead, false, true, false), w.lnfg, ln);
        grads.put(TransformerPolicy.LNF_G, ln[0]);
        grads.put(TransformerPolicy.LNF_B, ln[1]);
        Map<String, INDArray> perLayer = new LinkedHashMap<>();
        for (int l = layers.length - 1; l >= 0; l--) {
            Layer s = layers[l];
            // MLP: x += gelu(b w1 + b1) w2 + b2
            put(perLayer, l, "w2", Nd4j.matmul(s.g, dx, true, false, false));
            put(perLayer, l, "b2", dx.sum(0));
            INDArray du = Nd4j.matmul(dx, w.w2[l], false, true, false);                               // [N,F]
            Nd4j.exec(new GELUDerivative(s.u, s.u));
            du.muli(s.u);
            put(perLayer, l, "w1", Nd4j.matmul(s.b, du, true, false, false));
            put(perLayer, l, "b1", du.sum(0));
            dx.addi(s.ln2.backward(Nd4j.matmul(du, w.w1[l], false, true, false), w.ln2g[l], ln));
            put(perLayer, l, "ln2_g", ln[0]);
            put(perLayer, l, "ln2_b", ln[1]);
            // attention: x += concat_heads(softmax(q k^T * scale + mask) v) wo + bo
            put(perLayer, l, "wo", Nd4j.matmul(s.o, dx, true, false, false));
            put(perLayer, l, "bo", dx.sum(0));
            INDArray dO = Nd4j.matmul(dx, w.wo[l], false, true, false).reshape('c', rows, length, h, dh)
                    .permute(0, 2, 1, 3).dup('c');                                                      // [B,H,L,dh]
            INDArray dp = Nd4j.matmul(dO, s.v, false, true, false);                                   // [B,H,L,L]
            INDArray dv = Nd4j.matmul(s.p, dO, true, false, false);
            INDArray ds = dp.subi(dp.mul(s.p).sum(true, 3)).muli(s.p).muli(scale);                    // softmax backward
            INDArray dq = Nd4j.matmul(ds, s.k);
            INDArray dk = Nd4j.matmul(ds, s.q, true, false, false);
            INDArray dqkv = Nd4j.create(c.dataType(), rows, length, 3, h, dh);
            INDArray view = dqkv.permute(2, 0, 3, 1, 4);
            view.get(point(0), all(), all(), all(), all()).assign(dq);
            view.get(point(1), all(), all(), all(), all()).assign(dk);
            view.get(point(2), all(), all(), all(), all()).assign(dv);
            dqkv = dqkv.reshape('c', n, 3L * d);
            put(perLayer, l, "wqkv", Nd4j.matmul(s.a, dqkv, true, false, false));
            put(perLayer, l, "bqkv", dqkv.sum(0));
            dx.addi(s.ln1.backward(Nd4j.matmul(dqkv, w.wqkv[l], false, true, false), w.ln1g[l], ln));
            put(perLayer, l, "ln1_g", ln[0]);
            put(perLayer, l, "ln1_b", ln[1]);
            layers[l] = null;                                          // its arrays may go before the next layer's
        }
        grads.put(TransformerPolicy.WTE, Nd4j.matmul(oneHot(tokens, c.vocabSize(), c.dataType()), dx, true, false, false));
        grads.put(TransformerPolicy.WPE, Nd4j.matmul(oneHot(positions, c.maxLength(), c.dataType()), dx, true, false, false));
        Map<String, INDArray> ordered = new LinkedHashMap<>();
        for (String name : TransformerPolicy.variableNames(c.layers())) {
            INDArray g = grads.containsKey(name) ? grads.get(name) : perLayer.get(name);
            ordered.put(name, g.reshape(shapeOf(name)));
        }
        return ordered;
    }

    private long[] shapeOf(String name) {
        return switch (name) {
            case TransformerPolicy.WTE -> w.wte.shape();
            case TransformerPolicy.WPE -> w.wpe.shape();
            case TransformerPolicy.LNF_G -> w.lnfg.shape();
            case TransformerPolicy.LNF_B -> w.lnfb.shape();
            case TransformerPolicy.W_HEAD -> w.whead.shape();
            case TransformerPolicy.B_HEAD -> w.bhead.shape();
            default -> layerShape(name);
        };
    }

    private long[] layerShape(String name) {
        int l = Integer.parseInt(name.substring(1, name.indexOf('_')));
        String s = name.substring(name.indexOf('_') + 1);
        INDArray a = switch (s) {
            case "ln1_g" -> w.ln1g[l];
            case "ln1_b" -> w.ln1b[l];
            case "wqkv" -> w.wqkv[l];
            case "bqkv" -> w.bqkv[l];
            case "wo" -> w.wo[l];
            case "bo" -> w.bo[l];
            case "ln2_g" -> w.ln2g[l];
            case "ln2_b" -> w.ln2b[l];
            case "w1" -> w.w1[l];
            case "b1" -> w.b1[l];
            case "w2" -> w.w2[l];
            case "b2" -> w.b2[l];
            default -> throw new IllegalStateException("unknown transformer variable " + name);
        };
        return a.shape();
    }

    private static void put(Map<String, INDArray> m, int layer, String suffix, INDArray g) {
        m.put(TransformerPolicy.layerVar(layer, suffix), g);
    }

    /** {@code x w + b} in one op. */
    private static INDArray affine(INDArray x, INDArray w, INDArray b) {
        return Nd4j.exec(new XwPlusB(x, w, b))[0];
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

    private static INDArray oneHot(int[] ids, int width, DataType dt) {
        double[] m = new double[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            m[i * width + ids[i]] = 1;
        }
        return Nd4j.create(m, new long[] {ids.length, width}, 'c').castTo(dt);
    }
}
