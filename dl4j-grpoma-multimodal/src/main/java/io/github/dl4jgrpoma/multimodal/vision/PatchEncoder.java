package io.github.dl4jgrpoma.multimodal.vision;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A ViT-style patch encoder (Dosovitskiy et al. 2021, "An Image is Worth 16x16 Words", section 3.1): the image
 * is cut into non-overlapping {@code P x P} patches in row-major order, each patch (all channels, flattened
 * {@code c, y, x}) is mapped linearly to width {@code D}, and a learned position embedding is added:
 * <pre>
 *   patches = reshape(permute(reshape(pixels, [B,C,gh,P,gw,P]), [0,2,4,1,3,5]), [B*gh*gw, C*P*P])
 *   tokens  = reshape(patches · patch_w [C*P*P, D] + patch_b, [B, gh*gw, D]) + patch_pos [gh*gw, D]
 * </pre>
 * Only reshape, permute, matmul and add (all finite-difference checked, {@code PatchEncoderGradientTest}). No
 * class token and no transformer layers of its own: the policy's transformer attends over the patches. Weights
 * {@code N(0, 1/(C P²))}, position embedding {@code N(0, 0.02²)}, bias zero.
 */
public final class PatchEncoder implements VisionEncoder {
    private final ImageShape input;
    private final int patch;
    private final int width;

    /**
     * @param input image shape; height and width must be multiples of {@code patch}
     * @param patch patch side {@code P} in pixels
     * @param width token width {@code D}
     */
    public PatchEncoder(ImageShape input, int patch, int width) {
        if (patch < 1 || width < 1) {
            throw new IllegalArgumentException("PatchEncoder: patch and width must be >= 1, got patch=" + patch + ", width=" + width);
        }
        if (input.height() % patch != 0 || input.width() % patch != 0) {
            throw new IllegalArgumentException("PatchEncoder: image " + input + " is not a whole number of "
                    + patch + "x" + patch + " patches; choose a patch size that divides height and width");
        }
        this.input = input;
        this.patch = patch;
        this.width = width;
    }

    @Override
    public String name() {
        return "patch";
    }

    @Override
    public ImageShape inputShape() {
        return input;
    }

    /** Patch side in pixels. */
    public int patch() {
        return patch;
    }

    @Override
    public int tokens() {
        return (input.height() / patch) * (input.width() / patch);
    }

    @Override
    public int tokenWidth() {
        return width;
    }

    @Override
    public SDVariable encode(SDVariable pixels, ParameterFactory params) {
        SameDiff sd = params.sameDiff();
        int c = input.channels();
        int gh = input.height() / patch;
        int gw = input.width() / patch;
        int flat = c * patch * patch;
        SDVariable w = params.normal("patch_w", Math.sqrt(1.0 / flat), flat, width);
        SDVariable b = params.zeros("patch_b", width);
        SDVariable pos = params.normal("patch_pos", 0.02, tokens(), width);
        SDVariable patches = sd.reshape(sd.permute(sd.reshape(pixels, -1, c, gh, patch, gw, patch), 0, 2, 4, 1, 3, 5), -1, flat);
        return sd.reshape(patches.mmul(w).add(b), -1, tokens(), width).add(pos);
    }

    @Override
    public String toString() {
        return "PatchEncoder(" + patch + "x" + patch + ") on " + input + " -> " + tokens() + "x" + width;
    }
}
