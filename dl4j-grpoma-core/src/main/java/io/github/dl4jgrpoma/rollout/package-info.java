/**
 * Rollouts for GRPO-MA: the incremental-decoder contract with forkable states
 * ({@link io.github.dl4jgrpoma.rollout.IncrementalDecoder}, {@link io.github.dl4jgrpoma.rollout.DecodingState}; each
 * model supplies its own through {@code PolicyModel.decoder()}, with {@link io.github.dl4jgrpoma.rollout.PolicyDecoder}
 * as the base class and {@link io.github.dl4jgrpoma.rollout.RecomputeDecoder} as the default for any policy), a token
 * sampler with temperature / top-k / top-p ({@link io.github.dl4jgrpoma.rollout.TokenSampler}) and the engine that
 * samples, per prompt, K thoughts and M answers per thought with the prompt and each thought computed once
 * ({@link io.github.dl4jgrpoma.rollout.RolloutEngine}), returning immutable trees
 * ({@link io.github.dl4jgrpoma.rollout.RolloutBatch}). Randomness is keyed by (seed, step, prompt id, thought, answer),
 * never by a prompt's position in the batch.
 */
package io.github.dl4jgrpoma.rollout;
