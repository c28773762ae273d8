package io.github.dl4jgrpoma.transformer;

import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.github.dl4jgrpoma.graph.SafeOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A small decoder-only transformer (GPT-2 layout) built in SameDiff from a {@link TransformerConfig}.
 *
 * <p>For tokens {@code x_0..x_{T-1}} and {@code l = 0..L-1}:
 * <pre>
 *   h^0_t   = onehot(x_t) · wte + onehot(pos_t) · wpe                     (embeddings by one-hot × matmul)
 *   a       = LN(h^l; h{l}_ln1_g, h{l}_ln1_b)
 *   q,k,v   = split(a · h{l}_wqkv + h{l}_bqkv) into H heads of width dh = D/H
 *   att     = softmax(q kᵀ / sqrt(dh) + M) v,   M[t,s] = 0 if mask[t,s] = 1 else -1e9
 *   h'      = h^l + concat_heads(att) · h{l}_wo + h{l}_bo
 *   h^{l+1} = h' + gelu(LN(h'; h{l}_ln2_g, h{l}_ln2_b) · h{l}_w1 + h{l}_b1) · h{l}_w2 + h{l}_b2
 *   logits  = LN(h^L; lnf_g, lnf_b) · w_head + b_head
 * </pre>
 * Position ids {@code pos} and the 0/1 attention {@code mask} come from the {@link PolicyInput} (placeholders
 * {@value #POSITIONS} and {@value #ATTENTION_MASK}); by default {@code pos_t = t} and the causal mask
 * ({@code mask[t,s] = 1} iff {@code s <= t}). Packed rows (a thought and its M answers in one row, each answer
 * attending to the prompt, its thought and itself) pass their own and may be longer than {@code T}
 * ({@link #supportsPackedRows()}; text models only).
 * Pre-LayerNorm ({@code sd.nn.layerNorm} over the last dimension; libnd4j's op has no epsilon, {@code (x - mean) /
 * sqrt(var)} with the biased variance, so a row of equal values has no finite normalisation), GELU as
 * {@code sd.nn.gelu}. Attention is written by hand (matmul + additive mask + {@code sd.nn.softmax}) because
 * {@code sd.nn.multiHeadDotProductAttention} of DL4J M2.1 has no causal mask; the embedding is one-hot × matmul
 * because {@code sd.gather} has a wrong gradient in M2.1. Every op used passes a double-precision finite
 * difference check ({@code TransformerPolicyGradientTest}).
 *
 * <p>Variable names are part of the public contract (the key/value-cache decoder reads the weights by name):
 * {@value #WTE} {@code [V,D]}, {@value #WPE} {@code [T,D]}, per layer {@code h{l}_ln1_g}, {@code h{l}_ln1_b},
 * {@code h{l}_wqkv [D,3D]} (columns: q | k | v, each head-major), {@code h{l}_bqkv [3D]}, {@code h{l}_wo [D,D]},
 * {@code h{l}_bo}, {@code h{l}_ln2_g}, {@code h{l}_ln2_b}, {@code h{l}_w1 [D,F]}, {@code h{l}_b1 [F]},
 * {@code h{l}_w2 [F,D]}, {@code h{l}_b2}, then {@value #LNF_G}, {@value #LNF_B}, {@value #W_HEAD} {@code [D,V]},
 * {@value #B_HEAD} {@code [V]}. Placeholder {@value #TOKENS} {@code [-1,T]} INT, output {@value #LOGITS}.
 *
 * <p>Initialisation: every matrix is drawn from {@code N(0, initStd²)} with a {@link Random} seeded by
 * {@code config.seed()} (independent of the global ND4J random generator), in the order of
 * {@link #trainableVariables()}; biases and LayerNorm offsets are 0 and LayerNorm gains 1. This departs from
 * GPT-2, which scales residual projections by {@code 1/sqrt(2L)}; for the tiny models here it does not matter.
 * The config is stored in the graph as the constant {@value #CONFIG} so that {@link #load(File)} restores it.
 *
 * <p>With an {@link EmbeddingPrefix} of length {@code N} ({@link #create(TransformerConfig, EmbeddingPrefix)}), the
 * sequence is {@code N} prefix embeddings followed by the {@code T} token embeddings, with {@value #WPE}
 * {@code [N+T, D]} and the causal mask over {@code N+T} positions; only the tokens' final hidden states go to the
 * head, so the logits stay {@code [B,T,V]}. The prefix output is named {@value #PREFIX_EMBEDDINGS}. The prefix and the
 * layers over its positions are computed once per distinct conditioning row and the tokens of every row attend to
 * their row's prefix keys and values ({@code PrefixSharing}: the same values as the one-stream forward, with the
 * one-hot row map {@value #PREFIX_ROWS} that {@link #feed} fills). The prefix's placeholders are the policy's
 * conditioning inputs and its variables are trainable (after the transformer's).
 */
public final class TransformerPolicy implements PolicyModel {
    public static final String TOKENS = "tokens";
    public static final String LOGITS = "logits";
    public static final String WTE = "wte";
    public static final String WPE = "wpe";
    public static final String LNF_G = "lnf_g";
    public static final String LNF_B = "lnf_b";
    public static final String W_HEAD = "w_head";
    public static final String B_HEAD = "b_head";
    public static final String CONFIG = "transformer_config";
    /** Name of the prefix embeddings {@code [B,N,D]} of a model built with an {@link EmbeddingPrefix}. */
    public static final String PREFIX_EMBEDDINGS = "prefix_embeddings";
    /**
     * Placeholder {@code [R,P]} of a model with an {@link EmbeddingPrefix}: one-hot map from the input's rows to its
     * distinct conditioning rows, whose prefix is computed once ({@link #feed} fills it; see {@code PrefixSharing}).
     */
    public static final String PREFIX_ROWS = "prefix_rows";
    /** Placeholder of position ids {@code [B,L]} (INT) of a text model ({@link #supportsPackedRows()}). */
    public static final String POSITIONS = "positions";
    /** Placeholder of the 0/1 attention mask {@code [B,L,L]} of a text model ({@link #supportsPackedRows()}). */
    public static final String ATTENTION_MASK = "attention_mask";
    /** Additive attention mask value for future positions. */
    public static final double MASK_VALUE = -1e9;

    private final SameDiff sd;
    private final TransformerConfig config;
    private final List<String> trainable;
    private final int prefixLength;
    private final Set<String> conditioning;
    private final AtomicLong prefixRows = new AtomicLong();

    private TransformerPolicy(SameDiff sd, TransformerConfig config, List<String> trainable, int prefixLength) {
        this.sd = sd;
        this.config = config;
        this.trainable = List.copyOf(trainable);
        this.prefixLength = prefixLength;
        // Text models read no conditioning (a loss attached later adds placeholders of its own, which are not
        // inputs of the model); a prefix model reads the placeholders other than the tokens that its graph had when
        // it was built or loaded (load a prefix model from a file saved without a loss attached).
        Set<String> cond = new LinkedHashSet<>();
        if (prefixLength > 0) {
            cond.addAll(variableNamesOfType(sd, VariableType.PLACEHOLDER));
            cond.remove(TOKENS);
            cond.remove(PREFIX_ROWS);
        }
        this.conditioning = Set.copyOf(cond);
    }

    /** Name of a per-layer variable, e.g. {@code layerVar(0, "ln1_g") = "h0_ln1_g"}. */
    public static String layerVar(int layer, String suffix) {
        return "h" + layer + "_" + suffix;
    }

    /** Builds a freshly initialised model. */
    public static TransformerPolicy create(TransformerConfig c) {
        return create(c, null);
    }

    /**
     * Builds a freshly initialised model whose sequence starts with the embeddings of {@code prefix} (none when
     * null); see the class comment.
     */
    public static TransformerPolicy create(TransformerConfig c, EmbeddingPrefix prefix) {
        SameDiff sd = SameDiff.create();
        TransformerInit init = new TransformerInit(sd, c);
        int v = c.vocabSize();
        int d = c.width();
        int t = c.maxLength();
        DataType dt = c.dataType();

        int n = prefix == null ? 0 : prefix.length();
        if (prefix != null && n < 1) {
            throw new IllegalArgumentException("EmbeddingPrefix.length() must be >= 1, got " + n);
        }
        int len = n + t;                                                                 // sequence positions
        boolean packedRows = n == 0;                       // text models read position ids and an attention mask
        SDVariable tokens = sd.placeHolder(TOKENS, DataType.INT32, -1, packedRows ? -1 : t);
        PackedRowInputs rows = packedRows ? PackedRowInputs.of(sd, tokens) : PackedRowInputs.fixedLength(sd);
        SDVariable wte = init.matrix(WTE, v, d);
        SDVariable wpe = init.matrix(WPE, len, d);
        SDVariable x = rows.rows(sd.reshape(SafeOps.oneHot(sd, tokens, v, dt), -1, v).mmul(wte), t, d);
        List<String> prefixVars = new ArrayList<>();
        if (prefix != null) {
            Set<String> before = variableNamesOfType(sd, VariableType.VARIABLE);
            SDVariable p = prefix.build(sd, d, dt).rename(PREFIX_EMBEDDINGS);
            for (String name : variableNamesOfType(sd, VariableType.VARIABLE)) {
                if (!before.contains(name)) {
                    prefixVars.add(name);
                }
            }
            x = PrefixSharing.layers(sd, init, c, p, x, wpe, n);              // prefix once per distinct image
        } else {
            x = x.add(rows.positionEmbeddings(sd.placeHolder(POSITIONS, DataType.INT32, -1, -1), wpe, len, d, dt));
            SDVariable mask = rows.additiveMask(sd.placeHolder(ATTENTION_MASK, dt, -1, -1, -1));          // [B,1,L,L]
            for (int l = 0; l < c.layers(); l++) {
                TransformerLayer layer = new TransformerLayer(sd, init, c, l);
                SDVariable[] qkv = layer.qkv(x, rows, len);
                x = layer.finish(x, layer.attend(qkv[0], qkv[1], qkv[2], mask), rows, len);
            }
        }
        SDVariable xf = sd.nn.layerNorm(x, init.ones(LNF_G, d), init.zeros(LNF_B, d), false, 2);
        SDVariable logits = sd.reshape(xf, -1, d).mmul(init.matrix(W_HEAD, d, v)).add(init.zeros(B_HEAD, v));
        rows.rows(logits, t, v).rename(LOGITS);
        sd.constant(CONFIG, Nd4j.createFromArray(c.vocabSize(), c.width(), c.layers(), c.heads(), c.mlpRatio(),
                c.maxLength(), c.dataType() == DataType.DOUBLE ? 1L : 0L, c.seed(), Double.doubleToLongBits(c.initStd()), n));
        List<String> names = new ArrayList<>(init.names());
        names.addAll(prefixVars);
        return new TransformerPolicy(sd, c, names, n);
    }

    private static Set<String> variableNamesOfType(SameDiff sd, VariableType type) {
        Set<String> out = new LinkedHashSet<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == type) {
                out.add(v.name());
            }
        }
        return out;
    }

    /**
     * Loads a model written by {@link #save(File)}; its logits are identical to the saved model's.
     *
     * @throws IOException if the file is missing or is not a {@code TransformerPolicy} graph
     */
    public static TransformerPolicy load(File file) throws IOException {
        if (!file.isFile()) {
            throw new IOException("no model file at " + file.getAbsolutePath());
        }
        SameDiff sd = SameDiff.load(file, true);
        if (!sd.hasVariable(CONFIG)) {
            throw new IOException(file + " is a SameDiff graph without the '" + CONFIG
                    + "' constant; it was not written by TransformerPolicy (use SameDiffPolicy.load)");
        }
        long[] a = sd.getVariable(CONFIG).getArr().toLongVector();
        TransformerConfig c = new TransformerConfig((int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4],
                (int) a[5], a[6] == 1L ? DataType.DOUBLE : DataType.FLOAT, a[7], Double.longBitsToDouble(a[8]));
        List<String> names = variableNames(c.layers());
        for (String n : names) {
            if (!sd.hasVariable(n)) {
                throw new IOException(file + " lacks the transformer variable '" + n + "'");
            }
        }
        int prefix = a.length > 9 ? (int) a[9] : 0;
        if (prefix > 0) {
            if (!sd.hasVariable(PREFIX_EMBEDDINGS)) {
                throw new IOException(file + " declares a prefix of " + prefix + " positions but lacks '" + PREFIX_EMBEDDINGS + "'");
            }
            for (String v : variableNamesOfType(sd, VariableType.VARIABLE)) {
                if (!names.contains(v)) {
                    names.add(v);
                }
            }
        }
        return new TransformerPolicy(sd, c, names, prefix);
    }

    /** Names of all trainable variables of an {@code layers}-layer model, in initialisation order. */
    public static List<String> variableNames(int layers) {
        List<String> names = new ArrayList<>(List.of(WTE, WPE));
        for (int l = 0; l < layers; l++) {
            for (String s : List.of("ln1_g", "ln1_b", "wqkv", "bqkv", "wo", "bo", "ln2_g", "ln2_b", "w1", "b1", "w2", "b2")) {
                names.add(layerVar(l, s));
            }
        }
        names.addAll(List.of(LNF_G, LNF_B, W_HEAD, B_HEAD));
        return names;
    }

    /** Number of prefix positions {@code N} before the tokens (0 without an {@link EmbeddingPrefix}). */
    public int prefixLength() {
        return prefixLength;
    }

    /** The placeholders of the prefix (e.g. {@code pixels}); empty without a prefix. */
    @Override
    public Set<String> conditioningNames() {
        return conditioning;
    }

    /**
     * The prefix embeddings {@code [B, N, D]} of a batch of conditioning arrays (by placeholder name, each
     * {@code [B, ...]}), computed by the graph with the current weights. Counts {@code B} in
     * {@link #prefixRowsComputed()}.
     *
     * @throws IllegalStateException if the model has no prefix
     */
    public INDArray prefixEmbeddings(Map<String, INDArray> conditioning) {
        if (prefixLength == 0) {
            throw new IllegalStateException("this transformer has no embedding prefix; build it with create(config, prefix)");
        }
        INDArray out = sd.output(conditioning, PREFIX_EMBEDDINGS).get(PREFIX_EMBEDDINGS);
        prefixRows.addAndGet(out.size(0));
        return out;
    }

    /**
     * How many prefix rows (images, for a vision encoder) the model has been asked to compute since it was built or
     * loaded, for tests and benchmarks: the rows of every {@link #prefixEmbeddings} call (rollouts) plus the distinct
     * conditioning rows of every {@link #feed} (forward passes, the update and the reference model, which encode each
     * distinct image of a batch once). A feed that a trainer runs several times (inner epochs) counts once.
     */
    public long prefixRowsComputed() {
        return prefixRows.get();
    }

    /** The configuration the model was built from. */
    public TransformerConfig config() {
        return config;
    }

    @Override
    public SameDiff sameDiff() {
        return sd;
    }

    @Override
    public String tokensPlaceholder() {
        return TOKENS;
    }

    @Override
    public String logitsName() {
        return LOGITS;
    }

    @Override
    public int vocabSize() {
        return config.vocabSize();
    }

    @Override
    public int maxLength() {
        return config.maxLength();
    }

    @Override
    public DataType dataType() {
        return config.dataType();
    }

    @Override
    public List<String> trainableVariables() {
        return trainable;
    }

    /** The weight array of a variable, shared with the graph (not a copy). */
    public INDArray weight(String name) {
        if (!trainable.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a variable of this transformer; known: " + trainable);
        }
        return sd.getVariable(name).getArr();
    }

    /**
     * True for a text model built by this version ({@link #create(TransformerConfig)}): it reads position ids and an
     * attention mask, so rows may hold a thought and its answers (tree packing) and be longer than {@code maxLength}
     * (the position ids must stay below it). False for a model with an {@link EmbeddingPrefix} and for a file saved
     * before the placeholders existed.
     */
    @Override
    public boolean supportsPackedRows() {
        return sd.hasVariable(POSITIONS) && sd.hasVariable(ATTENTION_MASK);
    }

    /**
     * The placeholders for an input: tokens and conditioning ({@link PolicyModel#feed}), and for a text model the
     * input's position ids and attention mask, or {@code 0..L-1} and the causal mask when it has none; for a model with
     * a prefix, the distinct conditioning rows and the one-hot row map {@value #PREFIX_ROWS} (each distinct image is
     * encoded once per pass).
     *
     * @throws IllegalArgumentException as {@link PolicyModel#feed}, or if a position id is outside
     *                                  {@code [0, maxLength)}
     */
    @Override
    public Map<String, INDArray> feed(PolicyInput input) {
        Map<String, INDArray> feed = new java.util.HashMap<>(PolicyModel.super.feed(input));
        if (supportsPackedRows()) {
            feed.putAll(PackedRowInputs.feed(input, config.maxLength(), config.dataType()));
        }
        if (prefixLength > 0 && sd.hasVariable(PREFIX_ROWS)) {      // files saved before sharing encode every row
            feed.putAll(PrefixSharing.feed(input.conditioning(), config.dataType()));
            prefixRows.addAndGet(feed.get(PREFIX_ROWS).size(1));
        }
        return feed;
    }

    /**
     * For a text model ({@link #supportsPackedRows()}): the hand-derived forward and backward pass of
     * {@code TransformerPass}, the same logits and gradients as the graph up to float rounding, the update 1.5x-3x
     * faster ({@code bin/grpoma bench-step --compare-backprop}, README "Speed"). Empty for a model with an {@link EmbeddingPrefix}
     * (its encoder is the user's SameDiff code).
     */
    @Override
    public Optional<LogitsBackprop> logitsBackprop() {
        return supportsPackedRows() ? Optional.of(new TransformerBackprop(config)) : Optional.empty();
    }

    /** The key/value-cache decoder ({@link KvCacheDecoder}): logits equal the full forward up to float rounding. */
    @Override
    public IncrementalDecoder decoder() {
        return new KvCacheDecoder(this);
    }
}
