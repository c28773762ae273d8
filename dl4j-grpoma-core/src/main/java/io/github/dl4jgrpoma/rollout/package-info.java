/**
 * Rollouts for GRPO-MA: incremental decoders with forkable states
 * ({@link io.github.dl4jgrpoma.rollout.IncrementalDecoder}, {@link io.github.dl4jgrpoma.rollout.DecodingState}; a
 * key/value cache for the built-in transformer and a full-recompute fallback for any policy), a token sampler with
 * temperature / top-k / top-p ({@link io.github.dl4jgrpoma.rollout.TokenSampler}) and the engine that samples, per
 * prompt, K thoughts and M answers per thought with the prompt and each thought computed once
 * ({@link io.github.dl4jgrpoma.rollout.RolloutEngine}), returning immutable trees
 * ({@link io.github.dl4jgrpoma.rollout.RolloutBatch}).
 */
package io.github.dl4jgrpoma.rollout;
