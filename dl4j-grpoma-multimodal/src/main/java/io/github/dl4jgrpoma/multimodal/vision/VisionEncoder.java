package io.github.dl4jgrpoma.multimodal.vision;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Extension point: a vision encoder that turns a pixel batch {@code [B,C,H,W]} into image tokens
 * {@code [B,N,D]} inside a SameDiff graph. The tokens become the prefix of a vision-language policy's sequence
 * (after a {@link VisionProjector} maps {@code D} to the language model's width).
 *
 * <p>An implementation adds its trainable variables through the given {@link ParameterFactory} (so they are
 * seeded, named and trained with the rest of the policy) and uses only ops whose backpropagation is correct in
 * SameDiff M2.1 ({@code io.github.dl4jgrpoma.graph.SafeOps}; no {@code gather}, {@code math.min/max},
 * {@code nn.logSoftmax}, reductions over a size-1 dimension). Check a new encoder with
 * {@code io.github.dl4jgrpoma.graph.GradientCheck} on a tiny configuration in double precision.
 * Built-ins: {@link CnnEncoder}, {@link PatchEncoder}.
 */
public interface VisionEncoder {

    /** Short name for logs and checkpoints, e.g. {@code cnn}. */
    String name();

    /** Shape {@code [C,H,W]} of the images this encoder accepts. */
    ImageShape inputShape();

    /** Number of image tokens {@code N} per image. */
    int tokens();

    /** Width {@code D} of an image token. */
    int tokenWidth();

    /**
     * Adds the encoder to the graph of {@code params}.
     *
     * @param pixels pixel batch {@code [B,C,H,W]} of {@link #inputShape()}, in the factory's data type
     * @param params creates the encoder's trainable variables; names should start with a common prefix
     * @return image tokens {@code [B, tokens(), tokenWidth()]}
     */
    SDVariable encode(SDVariable pixels, ParameterFactory params);
}
