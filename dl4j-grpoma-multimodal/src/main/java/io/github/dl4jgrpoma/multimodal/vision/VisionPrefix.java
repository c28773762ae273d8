package io.github.dl4jgrpoma.multimodal.vision;

import io.github.dl4jgrpoma.transformer.EmbeddingPrefix;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The image-token prefix of a vision-language transformer: a placeholder {@value #PIXELS} {@code [B,C,H,W]}, a
 * {@link VisionEncoder} and a {@link VisionProjector} into the transformer's width, giving {@code [B,N,D]}. Its
 * variables are seeded by {@code seed} independently of the transformer's.
 */
public final class VisionPrefix implements EmbeddingPrefix {
    /** Name of the pixel placeholder (and of the conditioning array every prompt carries). */
    public static final String PIXELS = "pixels";
    private final VisionEncoder encoder;
    private final long seed;

    public VisionPrefix(VisionEncoder encoder, long seed) {
        if (encoder == null) {
            throw new IllegalArgumentException("VisionPrefix.encoder is null; pass a VisionEncoder such as new CnnEncoder(shape, 8, 16)");
        }
        this.encoder = encoder;
        this.seed = seed;
    }

    /** The encoder. */
    public VisionEncoder encoder() {
        return encoder;
    }

    @Override
    public int length() {
        return encoder.tokens();
    }

    @Override
    public SDVariable build(SameDiff sd, int width, DataType dataType) {
        ImageShape s = encoder.inputShape();
        SDVariable pixels = sd.placeHolder(PIXELS, dataType, -1, s.channels(), s.height(), s.width());
        ParameterFactory params = new ParameterFactory(sd, dataType, seed);
        SDVariable tokens = encoder.encode(pixels, params);
        return VisionProjector.project(tokens, encoder.tokens(), encoder.tokenWidth(), width, params);
    }
}
