package io.github.dl4jgrpoma.transformer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The variables and ops of one pre-LayerNorm transformer layer of {@link TransformerPolicy} (see its class comment
 * for the formulas and names). Split into {@link #qkv} and {@link #finish} so that a stream may attend to keys and
 * values of another stream (the shared image prefix, {@code PrefixSharing}).
 */
final class TransformerLayer {
    private final SameDiff sd;
    private final int width;
    private final int heads;
    private final int headWidth;
    private final SDVariable ln1g;
    private final SDVariable ln1b;
    private final SDVariable wqkv;
    private final SDVariable bqkv;
    private final SDVariable wo;
    private final SDVariable bo;
    private final SDVariable ln2g;
    private final SDVariable ln2b;
    private final SDVariable w1;
    private final SDVariable b1;
    private final SDVariable w2;
    private final SDVariable b2;

    /** Creates layer {@code l}'s variables in the documented order. */
    TransformerLayer(SameDiff sd, TransformerInit init, TransformerConfig c, int l) {
        this.sd = sd;
        int d = c.width();
        int f = c.mlpWidth();
        this.width = d;
        this.heads = c.heads();
        this.headWidth = c.headWidth();
        ln1g = init.ones(TransformerPolicy.layerVar(l, "ln1_g"), d);
        ln1b = init.zeros(TransformerPolicy.layerVar(l, "ln1_b"), d);
        wqkv = init.matrix(TransformerPolicy.layerVar(l, "wqkv"), d, 3 * d);
        bqkv = init.zeros(TransformerPolicy.layerVar(l, "bqkv"), 3 * d);
        wo = init.matrix(TransformerPolicy.layerVar(l, "wo"), d, d);
        bo = init.zeros(TransformerPolicy.layerVar(l, "bo"), d);
        ln2g = init.ones(TransformerPolicy.layerVar(l, "ln2_g"), d);
        ln2b = init.zeros(TransformerPolicy.layerVar(l, "ln2_b"), d);
        w1 = init.matrix(TransformerPolicy.layerVar(l, "w1"), d, f);
        b1 = init.zeros(TransformerPolicy.layerVar(l, "b1"), f);
        w2 = init.matrix(TransformerPolicy.layerVar(l, "w2"), f, d);
        b2 = init.zeros(TransformerPolicy.layerVar(l, "b2"), d);
    }

    /** Queries, keys and values of {@code x [B,L,D]}: three {@code [B,H,L,dh]}. */
    SDVariable[] qkv(SDVariable x, PackedRowInputs rows, int length) {
        return sd.unstack(stacked(x, rows, length), 0, 3);
    }

    /**
     * Keys and values only (a stream whose queries are not needed, so that the graph has no unused output):
     * two {@code [B,H,L,dh]}.
     */
    SDVariable[] kv(SDVariable x, PackedRowInputs rows, int length) {
        SDVariable kv = sd.slice(stacked(x, rows, length), new int[] {1, 0, 0, 0, 0}, 2, -1, heads, length, headWidth);
        return sd.unstack(kv, 0, 2);
    }

    private SDVariable stacked(SDVariable x, PackedRowInputs rows, int length) {
        SDVariable a = sd.nn.layerNorm(x, ln1g, ln1b, false, 2);
        SDVariable qkv = sd.reshape(a, -1, width).mmul(wqkv).add(bqkv);
        return sd.permute(rows.rows(qkv, length, 3, heads, headWidth), 2, 0, 3, 1, 4);   // [3,B,H,L,dh]
    }

    /** {@code softmax(q kᵀ / sqrt(dh) + mask) v}: {@code [B,H,Lq,dh]} for keys and values {@code [B,H,Lk,dh]}. */
    SDVariable attend(SDVariable q, SDVariable k, SDVariable v, SDVariable mask) {
        SDVariable s = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(headWidth)).add(mask);   // [B,H,Lq,Lk]
        return sd.mmul(sd.nn.softmax(s, 3), v);
    }

    /** The residual stream after the attention output {@code att [B,H,L,dh]} and the MLP: {@code [B,L,D]}. */
    SDVariable finish(SDVariable x, SDVariable att, PackedRowInputs rows, int length) {
        SDVariable y = sd.reshape(sd.permute(att, 0, 2, 1, 3), -1, width).mmul(wo).add(bo);
        x = x.add(rows.rows(y, length, width));
        SDVariable b = sd.reshape(sd.nn.layerNorm(x, ln2g, ln2b, false, 2), -1, width);
        SDVariable m = sd.nn.gelu(b.mmul(w1).add(b1)).mmul(w2).add(b2);
        return x.add(rows.rows(m, length, width));
    }
}
