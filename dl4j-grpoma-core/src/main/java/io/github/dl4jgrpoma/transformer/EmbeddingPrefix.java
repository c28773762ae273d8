package io.github.dl4jgrpoma.transformer;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Embeddings that a {@code TransformerPolicy} places before its token embeddings: positions {@code 0..N-1} of
 * the sequence hold them, the tokens follow at {@code N..N+T-1}, and the logits cover the tokens only. This is
 * how a vision-language policy puts image tokens in front of the prompt (LLaVA-style prefix); the prefix is
 * computed from conditioning placeholders of the graph (e.g. {@code pixels}) and is trained with the model.
 *
 * <p>{@link #build} adds the prefix's placeholders and trainable variables to the graph; every trainable
 * variable it adds becomes a trainable variable of the policy, and every placeholder it adds a conditioning
 * input. It must use only ops with correct backpropagation in SameDiff M2.1 ({@code graph.SafeOps}), and be
 * row-wise: row {@code b} of the prefix depends only on row {@code b} of the conditioning (the policy computes it once
 * per distinct conditioning row of a batch and shares it between the rows that carry it).
 */
public interface EmbeddingPrefix {

    /** Number of prefix positions {@code N} (at least 1). */
    int length();

    /**
     * Adds the prefix to {@code sd}.
     *
     * @param width    the transformer's width {@code D}
     * @param dataType the transformer's floating-point type
     * @return the prefix embeddings {@code [B, N, D]}
     */
    SDVariable build(SameDiff sd, int width, DataType dataType);
}
