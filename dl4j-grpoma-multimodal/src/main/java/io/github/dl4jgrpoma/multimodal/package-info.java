/**
 * Vision-language policies for GRPO-MA ({@link io.github.dl4jgrpoma.multimodal.VisionLanguagePolicies}): image
 * tokens from a vision encoder ({@code vision}) as the prefix of the built-in transformer. MNIST data in
 * {@code data}.
 */
package io.github.dl4jgrpoma.multimodal;
