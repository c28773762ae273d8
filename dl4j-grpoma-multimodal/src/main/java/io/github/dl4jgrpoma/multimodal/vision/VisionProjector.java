package io.github.dl4jgrpoma.multimodal.vision;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Linear projector from image-token width {@code D_enc} to the language model's width {@code D}, as in LLaVA
 * (Liu et al. 2023, section 4.1): {@code out = reshape(reshape(tokens, [B*N, D_enc]) · proj_w + proj_b, [B,N,D])}.
 * Weights {@code N(0, 1/D_enc)}, bias zero. Matmul and add only (finite-difference checked in
 * {@code VisionEncoderGradientTest}).
 */
public final class VisionProjector {
    private VisionProjector() {
    }

    /**
     * @param tokens image tokens {@code [B, n, inWidth]}
     * @return projected tokens {@code [B, n, outWidth]}
     */
    public static SDVariable project(SDVariable tokens, int n, int inWidth, int outWidth, ParameterFactory params) {
        if (n < 1 || inWidth < 1 || outWidth < 1) {
            throw new IllegalArgumentException("VisionProjector: n, inWidth and outWidth must be >= 1, got "
                    + n + ", " + inWidth + ", " + outWidth);
        }
        SameDiff sd = params.sameDiff();
        SDVariable w = params.normal("proj_w", Math.sqrt(1.0 / inWidth), inWidth, outWidth);
        SDVariable b = params.zeros("proj_b", outWidth);
        return sd.reshape(sd.reshape(tokens, -1, inWidth).mmul(w).add(b), -1, n, outWidth);
    }
}
