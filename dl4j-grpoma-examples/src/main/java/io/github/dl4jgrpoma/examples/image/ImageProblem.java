package io.github.dl4jgrpoma.examples.image;

import java.util.Map;

import io.github.dl4jgrpoma.multimodal.vision.ImageShape;

/**
 * One image problem: a grey-scale image (values in [0, 1], row-major {@code [C,H,W]}), the prompt text, the
 * demonstration thought and answer (possibly with a deliberate mistake, for SFT traces) and the ground truth as
 * metadata for the rewards ({@code expected}, plus task keys such as {@code digits}, {@code class}, {@code box}).
 *
 * @param id       stable id (split, task and source image indices), keys the rollout randomness
 * @param shape    image shape
 * @param pixels   {@code shape.size()} values in [0, 1]; not copied (problems are built and read, never changed)
 * @param thought  demonstration thought
 * @param answer   demonstration answer
 * @param metadata ground truth for rewards and evaluation
 */
public record ImageProblem(String id, ImageShape shape, float[] pixels, String promptText, String thought, String answer,
                           Map<String, String> metadata) {
    public ImageProblem {
        if (pixels.length != shape.size()) {
            throw new IllegalArgumentException("ImageProblem " + id + ": " + pixels.length + " pixels for shape " + shape);
        }
        metadata = Map.copyOf(metadata);
    }

    /** Ground-truth value of a metadata key. */
    public String truth(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalStateException("ImageProblem " + id + " has no metadata '" + key + "'; known " + metadata.keySet());
        }
        return v;
    }
}
