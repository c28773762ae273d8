package io.github.dl4jgrpoma.policy;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Extension point for the policy trained by GRPO-MA: any causal language model held in a {@link SameDiff}
 * graph that maps an INT token placeholder {@code [batch, T]} to a logits variable {@code [batch, T, vocab]},
 * where {@code logits[b, t, :]} scores the token at position {@code t + 1} given tokens {@code 0..t}
 * (causal: it must not depend on tokens after {@code t}, so right padding never changes earlier logits).
 *
 * <p>This interface declares exactly what a trainer needs and nothing more: the graph, the two names, the
 * vocabulary size, the fixed sequence length {@code T} of the placeholder, the floating-point data type and
 * the names of the trainable variables. Decoding for rollouts is separate (package
 * {@code io.github.dl4jgrpoma.rollout}): any policy can be decoded by full recomputation through
 * {@link #forward(INDArray)}, and faster decoders (a key/value cache for the built-in
 * {@link TransformerPolicy}, or a recurrent state copied per branch for an LSTM) plug in there.
 *
 * <p>Persistence uses SameDiff's own format: {@link #save(File)} writes {@code sameDiff().save(file, true)}
 * (weights and updater state); each implementation offers a static {@code load} that restores a model whose
 * logits are identical.
 */
public interface PolicyModel {

    /** The graph holding the model (and, once a trainer adds it, the loss). */
    SameDiff sameDiff();

    /** Name of the INT placeholder of token ids, shape {@code [batch, T]}. */
    String tokensPlaceholder();

    /** Name of the logits variable, shape {@code [batch, T, vocabSize]}. */
    String logitsName();

    /** Number of token ids the model scores ({@code logits.shape[2]}). */
    int vocabSize();

    /** Fixed sequence length {@code T} of the token placeholder; no sequence may be longer. */
    int maxLength();

    /** Floating-point type of the parameters and logits. */
    DataType dataType();

    /** Names of the variables the trainer updates, in a stable order. */
    List<String> trainableVariables();

    /**
     * Full forward pass: logits {@code [batch, T, vocab]} for tokens {@code [batch, T]} (INT). Sequences
     * shorter than {@code T} are right-padded by the caller with any valid id; causality keeps the logits of
     * the real positions unchanged.
     */
    default INDArray forward(INDArray tokens) {
        if (tokens.rank() != 2 || tokens.size(1) != maxLength()) {
            throw new IllegalArgumentException("tokens must have shape [batch, " + maxLength() + "], got "
                    + java.util.Arrays.toString(tokens.shape()) + "; right-pad shorter sequences to T");
        }
        return sameDiff().output(Map.of(tokensPlaceholder(), tokens), logitsName()).get(logitsName());
    }

    /** Writes the graph with its weights and updater state in SameDiff's format ({@code sd.save(file, true)}). */
    default void save(File file) throws IOException {
        File parent = file.getAbsoluteFile().getParentFile();
        if (parent != null && !parent.isDirectory() && !parent.mkdirs()) {
            throw new IOException("cannot create directory " + parent);
        }
        sameDiff().save(file, true);
    }
}
