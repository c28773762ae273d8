package io.github.dl4jgrpoma.policy;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A {@link PolicyModel} around a user's own SameDiff causal language model: the user names the INT token
 * placeholder {@code [-1, T]} (its second dimension must be fixed) and the logits variable
 * {@code [batch, T, vocab]}, and states the vocabulary size. The trainable variables are, unless given, every
 * variable of type {@code VARIABLE} in the graph, in graph order.
 *
 * <p>Rollouts from such a model use the full-recompute decoder unless the user supplies a faster one.
 */
public final class SameDiffPolicy implements PolicyModel {
    private final SameDiff sd;
    private final String tokens;
    private final String logits;
    private final int vocabSize;
    private final int maxLength;
    private final DataType dataType;
    private final List<String> trainable;

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
}
