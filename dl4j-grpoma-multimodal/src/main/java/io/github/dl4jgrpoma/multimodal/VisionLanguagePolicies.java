package io.github.dl4jgrpoma.multimodal;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.multimodal.vision.VisionEncoder;
import io.github.dl4jgrpoma.multimodal.vision.VisionPrefix;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Vision-language policies: the built-in transformer whose sequence is the image tokens of a {@link VisionEncoder}
 * (projected to the transformer's width), then the prompt's text tokens, then thought and answers. It is just
 * another {@link io.github.dl4jgrpoma.policy.PolicyModel}: the same SFT and GRPO-MA trainers train it (the
 * encoder and projector are trainable variables of the graph, so checkpoints include them), every prompt carries
 * its image as the conditioning array {@value VisionPrefix#PIXELS} {@code [C,H,W]}, and its own
 * {@link io.github.dl4jgrpoma.transformer.KvCacheDecoder} encodes each prompt's image once per rollout and shares
 * the cached image + prompt prefix across the K thoughts and K x M answers.
 * {@link TransformerPolicy#load(java.io.File)} restores a saved one.
 */
public final class VisionLanguagePolicies {
    private VisionLanguagePolicies() {
    }

    /**
     * A freshly initialised vision-language policy.
     *
     * @param text        the transformer ({@code maxLength} counts text tokens only; the image tokens come on top)
     * @param encoder     the vision encoder
     * @param encoderSeed seed of the encoder's and projector's weights
     */
    public static TransformerPolicy create(TransformerConfig text, VisionEncoder encoder, long encoderSeed) {
        return TransformerPolicy.create(text, new VisionPrefix(encoder, encoderSeed));
    }

    /**
     * The conditioning of one prompt: its pixels {@code [C,H,W]} (row-major, channel first) under
     * {@value VisionPrefix#PIXELS}.
     *
     * @param dataType the policy's data type (FLOAT, or DOUBLE for gradient checks)
     */
    public static Conditioning image(float[] pixels, ImageShape shape, DataType dataType) {
        if (pixels.length != shape.size()) {
            throw new IllegalArgumentException("image: " + pixels.length + " pixels do not fill " + shape);
        }
        return Conditioning.of(VisionPrefix.PIXELS, Nd4j.create(pixels, new long[] {shape.channels(), shape.height(),
                shape.width()}, 'c').castTo(dataType));
    }
}
