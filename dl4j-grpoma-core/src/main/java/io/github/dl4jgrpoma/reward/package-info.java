/**
 * The reward extension point of GRPO-MA: every one of the K x M answers of a prompt is scored by a
 * {@link io.github.dl4jgrpoma.reward.RewardFunction} that receives a typed, immutable
 * {@link io.github.dl4jgrpoma.reward.RewardContext} (prompt, task metadata, thought, answer, indices).
 *
 * <p>Several named rewards are combined by a {@link io.github.dl4jgrpoma.reward.CompositeReward}
 * (weighted sum {@code R = sum_i w_i * r_i}); a {@link io.github.dl4jgrpoma.reward.RewardScorer} scores a
 * whole K x M group with a composite under a {@link io.github.dl4jgrpoma.reward.RewardErrorPolicy}
 * (fail fast with a {@link io.github.dl4jgrpoma.reward.RewardException}, or substitute a value and count
 * the failure) and returns immutable {@link io.github.dl4jgrpoma.reward.RewardScores} with per-reward
 * matrices and the metrics {@code rewards/<name>/mean} and {@code rewards/<name>/std}.
 *
 * <p>Built-ins: {@link io.github.dl4jgrpoma.reward.NumericMatchReward},
 * {@link io.github.dl4jgrpoma.reward.ExactMatchReward} and {@link io.github.dl4jgrpoma.reward.FormatReward};
 * numbers are parsed by {@link io.github.dl4jgrpoma.reward.NumericAnswers}.
 *
 * <p>This package does no IO and no sampling; it depends on nothing else in the project.
 */
package io.github.dl4jgrpoma.reward;
