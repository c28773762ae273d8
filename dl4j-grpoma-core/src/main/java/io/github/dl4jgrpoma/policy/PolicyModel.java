package io.github.dl4jgrpoma.policy;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.RecomputeDecoder;

/**
 * Extension point for the policy trained by GRPO-MA: a causal language model held in a {@link SameDiff} graph
 * that maps a {@link PolicyInput} (INT token ids {@code [batch, T]}, plus any named conditioning arrays such as an
 * image) to a logits variable {@code [batch, T, vocab]}, where {@code logits[b, t, :]} scores the token at position
 * {@code t + 1} given tokens {@code 0..t} and the row's conditioning (causal: it must not depend on tokens after
 * {@code t}, so right padding never changes earlier logits).
 *
 * <p>The contract, and who uses each part:
 * <ul>
 *   <li>{@link #feed(PolicyInput)}: the model turns an input into its graph's placeholders. Rollouts, the batch
 *       packer, the reference model and SFT build a {@code PolicyInput}; none of them names a placeholder. The
 *       default maps the tokens to {@link #tokensPlaceholder()} and every conditioning array to the placeholder of
 *       the same name ({@link #conditioningNames()}); position ids and attention masks (packed rows) are rejected
 *       unless {@link #supportsPackedRows()}.</li>
 *   <li>{@link #decoder()}: the model supplies its own incremental decoder for rollouts (full recompute by
 *       default; the transformer its key/value cache). Nothing in the library checks a model's class.</li>
 *   <li>{@link #sameDiff()}, {@link #logitsName()}, {@link #trainableVariables()}: the graph the trainers attach
 *       their loss to and differentiate, and the parameters they update ({@link #parameters()}).</li>
 * </ul>
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
     * Names of the conditioning arrays every input must carry (for example {@code pixels}); empty (the default)
     * for a text-only model. With the default {@link #feed}, each is also the name of a graph placeholder.
     */
    default Set<String> conditioningNames() {
        return Set.of();
    }

    /**
     * Whether the model reads position ids and an attention mask from {@link PolicyInput} (rows packed with several
     * sequences, e.g. a thought and its M answers in one row). Default false: such inputs are rejected. A model that
     * returns true accepts rows of any length {@code L} when the input carries position ids (each below
     * {@link #maxLength()}).
     */
    default boolean supportsPackedRows() {
        return false;
    }

    /**
     * The placeholder values of the graph for an input.
     *
     * @throws IllegalArgumentException if the tokens are not {@code [batch, T]}, the conditioning names differ from
     *                                  {@link #conditioningNames()}, or packed-row arrays are given to a model that
     *                                  does not support them
     */
    default Map<String, INDArray> feed(PolicyInput input) {
        boolean packed = supportsPackedRows() && input.positions().isPresent();   // packed rows may be of any length
        if (input.length() != maxLength() && !packed) {
            throw new IllegalArgumentException("tokens must have shape [batch, " + maxLength() + "], got [" + input.batchSize()
                    + ", " + input.length() + "]; right-pad shorter sequences to T");
        }
        if (!input.conditioning().keySet().equals(conditioningNames())) {
            throw new IllegalArgumentException("the policy takes conditioning " + conditioningNames() + " but the input carries "
                    + input.conditioning().keySet() + "; give every prompt exactly the model's conditioning arrays");
        }
        if (!supportsPackedRows() && (input.positions().isPresent() || input.attentionMask().isPresent())) {
            throw new IllegalArgumentException("this policy does not read position ids or attention masks (supportsPackedRows()"
                    + " is false); pack one sequence per row");
        }
        input.conditioning().forEach((name, a) -> requireShape(name, a));
        Map<String, INDArray> feed = new HashMap<>(input.conditioning());
        feed.put(tokensPlaceholder(), input.tokens());
        return feed;
    }

    /**
     * Checks a conditioning array {@code [B, ...]} against the graph placeholder of the same name (when there is
     * one with a declared shape): same rank, and equal sizes wherever the placeholder's size is fixed.
     *
     * @throws IllegalArgumentException naming the array, both shapes and the per-prompt shape to pass
     */
    private void requireShape(String name, INDArray a) {
        if (!sameDiff().hasVariable(name)) {
            return;
        }
        long[] ph = sameDiff().getVariable(name).placeholderShape();
        if (ph == null) {
            return;
        }
        boolean ok = ph.length == a.rank();
        for (int d = 1; ok && d < ph.length; d++) {
            ok = ph[d] < 0 || ph[d] == a.size(d);
        }
        if (!ok) {
            long[] perPrompt = java.util.Arrays.copyOfRange(ph, 1, ph.length);
            throw new IllegalArgumentException("conditioning '" + name + "' has shape " + java.util.Arrays.toString(a.shape())
                    + " for the batch but the policy's placeholder '" + name + "' is " + java.util.Arrays.toString(ph)
                    + "; give each prompt its slice without the batch dimension, shaped " + java.util.Arrays.toString(perPrompt)
                    + " (-1: any size)");
        }
    }

    /**
     * Full forward pass: logits {@code [batch, T, vocab]} of an input (see {@link #feed}).
     *
     * @throws IllegalArgumentException if the graph's logits are not {@code vocabSize()} wide
     */
    default INDArray forward(PolicyInput input) {
        INDArray logits = sameDiff().output(feed(input), logitsName()).get(logitsName());
        if (logits.rank() != 3 || logits.size(2) != vocabSize()) {
            throw new IllegalArgumentException("the logits '" + logitsName() + "' have shape " + java.util.Arrays.toString(logits.shape())
                    + " but the policy declares vocabSize = " + vocabSize() + "; they must be [batch, T, vocabSize]: declare the"
                    + " logits' last dimension as the vocabulary size (and use a tokenizer of that size)");
        }
        return logits;
    }

    /**
     * Full forward pass of token ids {@code [batch, T]} (INT) of a text-only model. Sequences shorter than
     * {@code T} are right-padded by the caller with any valid id; causality keeps the logits of the real positions
     * unchanged.
     */
    default INDArray forward(INDArray tokens) {
        if (tokens.rank() != 2 || tokens.size(1) != maxLength()) {
            throw new IllegalArgumentException("tokens must have shape [batch, " + maxLength() + "], got "
                    + java.util.Arrays.toString(tokens.shape()) + "; right-pad shorter sequences to T");
        }
        return forward(PolicyInput.of(tokens));
    }

    /** The live parameter arrays by name, in {@link #trainableVariables()} order (updated in place by trainers). */
    default Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : trainableVariables()) {
            out.put(name, sameDiff().getVariable(name).getArr());
        }
        return out;
    }

    /**
     * The decoder rollouts use for this model. The default, {@link RecomputeDecoder}, is correct for every
     * causal model but recomputes the whole sequence per token; a model with a faster incremental form returns
     * its own (the transformer its key/value cache, a recurrent network its copied hidden state). The decoder
     * must read the model's current weights at every {@code prefill}, so one decoder serves a whole run.
     */
    default IncrementalDecoder decoder() {
        return new RecomputeDecoder(this);
    }

    /**
     * The model's own forward and backward pass, which trainers use instead of differentiating the SameDiff graph
     * (faster; see {@link LogitsBackprop}). Empty (the default): trainers differentiate {@link #sameDiff()}. A model
     * that returns one must compute the same logits and gradients as its graph up to float rounding.
     */
    default Optional<LogitsBackprop> logitsBackprop() {
        return Optional.empty();
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
