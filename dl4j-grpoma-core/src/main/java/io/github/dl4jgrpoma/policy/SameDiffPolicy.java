package io.github.dl4jgrpoma.policy;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

import io.github.dl4jgrpoma.rollout.IncrementalDecoder;

/**
 * A {@link PolicyModel} around a user's own SameDiff causal language model: the user names the INT token
 * placeholder {@code [-1, T]} (its second dimension must be fixed) and the logits variable
 * {@code [batch, T, vocab]}, and states the vocabulary size. The trainable variables are, unless given, every
 * variable of type {@code VARIABLE} in the graph, in graph order.
 *
 * <p>Conditioning (an image, a class id, ...) enters through extra placeholders of the graph, declared with
 * {@link Builder#conditioning(String...)}: every {@link PolicyInput} must then carry an array of that name
 * ({@code [batch, ...]}), and every {@link io.github.dl4jgrpoma.data.Prompt} its per-prompt slice.
 *
 * <p>Rollouts from such a model use the full-recompute decoder unless the user supplies a faster one with
 * {@link Builder#decoder(Function)} (for example a recurrent state copied per branch).
 */
public final class SameDiffPolicy implements PolicyModel {
    private final SameDiff sd;
    private final String tokens;
    private final String logits;
    private final int vocabSize;
    private final int maxLength;
    private final DataType dataType;
    private final List<String> trainable;
    private final Set<String> conditioning;
    private final Function<SameDiffPolicy, IncrementalDecoder> decoderFactory;

    /**
     * @param sd        the graph
     * @param tokens    name of the INT placeholder {@code [-1, T]}
     * @param logits    name of the logits variable {@code [batch, T, vocabSize]}
     * @param vocabSize vocabulary size
     * @param trainable variables the trainer updates; {@code null} means every VARIABLE of the graph
     * @throws IllegalArgumentException if a name is unknown, the placeholder is not INT {@code [-1, T]} or the
     *                                  logits are not floating point
     */
    public SameDiffPolicy(SameDiff sd, String tokens, String logits, int vocabSize, List<String> trainable) {
        this(sd, tokens, logits, vocabSize, trainable, Set.of(), null);
    }

    private SameDiffPolicy(SameDiff sd, String tokens, String logits, int vocabSize, List<String> trainable,
                           Set<String> conditioning, Function<SameDiffPolicy, IncrementalDecoder> decoderFactory) {
        if (sd == null) {
            throw new IllegalArgumentException("SameDiffPolicy.sd is null; pass the graph holding the model");
        }
        SDVariable ph = sd.hasVariable(tokens) ? sd.getVariable(tokens) : null;
        if (ph == null || ph.getVariableType() != VariableType.PLACEHOLDER) {
            throw new IllegalArgumentException("SameDiffPolicy.tokens = '" + tokens + "' is not a placeholder of the graph");
        }
        long[] shape = ph.placeholderShape();
        if (shape == null || shape.length != 2 || shape[1] < 2 || !ph.dataType().isIntType()) {
            throw new IllegalArgumentException("SameDiffPolicy.tokens = '" + tokens + "' must be an integer placeholder of"
                    + " shape [-1, T] with a fixed T >= 2, got " + ph.dataType() + " " + java.util.Arrays.toString(shape));
        }
        if (!sd.hasVariable(logits) || !sd.getVariable(logits).dataType().isFPType()) {
            throw new IllegalArgumentException("SameDiffPolicy.logits = '" + logits
                    + "' is not a floating-point variable of the graph");
        }
        if (vocabSize < 2) {
            throw new IllegalArgumentException("SameDiffPolicy.vocabSize = " + vocabSize + "; use the logits' last dimension (>= 2)");
        }
        List<String> names = new ArrayList<>();
        if (trainable == null) {
            for (SDVariable v : sd.variables()) {
                if (v.getVariableType() == VariableType.VARIABLE) {
                    names.add(v.name());
                }
            }
        } else {
            for (String n : trainable) {
                if (!sd.hasVariable(n) || sd.getVariable(n).getVariableType() != VariableType.VARIABLE) {
                    throw new IllegalArgumentException("SameDiffPolicy.trainable: '" + n + "' is not a trainable variable of the graph");
                }
                names.add(n);
            }
        }
        this.sd = sd;
        this.tokens = tokens;
        this.logits = logits;
        this.vocabSize = vocabSize;
        this.maxLength = (int) shape[1];
        this.dataType = sd.getVariable(logits).dataType();
        this.trainable = List.copyOf(names);
        for (String c : conditioning) {
            if (!sd.hasVariable(c) || sd.getVariable(c).getVariableType() != VariableType.PLACEHOLDER || c.equals(tokens)) {
                throw new IllegalArgumentException("SameDiffPolicy.conditioning: '" + c + "' is not a placeholder of the graph"
                        + " (other than the token placeholder); add it with sd.placeHolder(\"" + c + "\", type, -1, ...)");
            }
        }
        this.conditioning = Set.copyOf(conditioning);
        this.decoderFactory = decoderFactory;
    }

    /** A builder for a graph: tokens and logits names and the vocabulary size are required. */
    public static Builder builder(SameDiff sd) {
        return new Builder(sd);
    }

    /** Loads a graph written by {@link #save(File)} and wraps it with the same names. */
    public static SameDiffPolicy load(File file, String tokens, String logits, int vocabSize) throws IOException {
        if (!file.isFile()) {
            throw new IOException("no model file at " + file.getAbsolutePath());
        }
        return new SameDiffPolicy(SameDiff.load(file, true), tokens, logits, vocabSize, null);
    }

    @Override
    public SameDiff sameDiff() {
        return sd;
    }

    @Override
    public String tokensPlaceholder() {
        return tokens;
    }

    @Override
    public String logitsName() {
        return logits;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public List<String> trainableVariables() {
        return trainable;
    }

    @Override
    public Set<String> conditioningNames() {
        return conditioning;
    }

    /** The user's decoder if one was given to the builder, else the full-recompute decoder. */
    @Override
    public IncrementalDecoder decoder() {
        return decoderFactory == null ? PolicyModel.super.decoder() : decoderFactory.apply(this);
    }

    /** Builder of a {@link SameDiffPolicy}. */
    public static final class Builder {
        private final SameDiff sd;
        private String tokens;
        private String logits;
        private int vocabSize;
        private List<String> trainable;
        private Set<String> conditioning = Set.of();
        private Function<SameDiffPolicy, IncrementalDecoder> decoder;

        private Builder(SameDiff sd) {
            this.sd = sd;
        }

        /** Name of the INT token placeholder {@code [-1, T]} (required). */
        public Builder tokens(String name) {
            this.tokens = name;
            return this;
        }

        /** Name of the logits variable {@code [batch, T, vocab]} (required). */
        public Builder logits(String name) {
            this.logits = name;
            return this;
        }

        /** Vocabulary size (required). */
        public Builder vocabSize(int v) {
            this.vocabSize = v;
            return this;
        }

        /** Variables the trainer updates (default: every VARIABLE of the graph). */
        public Builder trainable(List<String> names) {
            this.trainable = names;
            return this;
        }

        /** Placeholders that carry conditioning arrays {@code [batch, ...]} (default none). */
        public Builder conditioning(String... placeholders) {
            this.conditioning = Set.of(placeholders);
            return this;
        }

        /**
         * The model's incremental decoder, built from the policy (default: full recomputation). It must read the
         * current weights at every {@code prefill}.
         */
        public Builder decoder(Function<SameDiffPolicy, IncrementalDecoder> factory) {
            this.decoder = factory;
            return this;
        }

        /** Validates and builds (see the constructor for the errors thrown). */
        public SameDiffPolicy build() {
            return new SameDiffPolicy(sd, tokens, logits, vocabSize, trainable, conditioning, decoder);
        }
    }
}
