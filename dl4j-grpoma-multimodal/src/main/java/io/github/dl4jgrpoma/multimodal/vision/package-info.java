/**
 * Vision encoders in SameDiff: the {@link io.github.dl4jgrpoma.multimodal.vision.VisionEncoder} extension point
 * (pixels {@code [B,C,H,W]} to image tokens {@code [B,N,D]}), a small CNN
 * ({@link io.github.dl4jgrpoma.multimodal.vision.CnnEncoder}), a ViT-style patch encoder
 * ({@link io.github.dl4jgrpoma.multimodal.vision.PatchEncoder}) and the linear
 * {@link io.github.dl4jgrpoma.multimodal.vision.VisionProjector} into the language model's width. Every op is
 * finite-difference checked in double precision.
 */
package io.github.dl4jgrpoma.multimodal.vision;
