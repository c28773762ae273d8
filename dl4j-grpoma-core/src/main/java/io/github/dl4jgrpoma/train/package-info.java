/**
 * Training: the GRPO-MA reinforcement-learning trainer, supervised warm-up, and what they share.
 *
 * <ul>
 *   <li>{@link io.github.dl4jgrpoma.train.GrpoMaTrainer} (built by {@link io.github.dl4jgrpoma.train.GrpoMaTrainerBuilder},
 *       configured by {@link io.github.dl4jgrpoma.train.GrpoMaConfig}): prompts from a
 *       {@link io.github.dl4jgrpoma.data.PromptSource} -> K x M rollouts -> rewards -> advantages ->
 *       {@link io.github.dl4jgrpoma.train.BatchPacker} -> clipped loss -> Adam; one
 *       {@link io.github.dl4jgrpoma.train.StepResult} per step, {@link io.github.dl4jgrpoma.train.TrainingResult}
 *       per {@code fit}.</li>
 *   <li>{@link io.github.dl4jgrpoma.algo.PackingMode}: decoupled (GRPO-MA: thoughts carry the thought advantage
 *       once, answers their own) or coupled (plain GRPO); {@link io.github.dl4jgrpoma.train.DynamicSampling}
 *       drops prompts without reward spread; {@link io.github.dl4jgrpoma.train.RowPacking}: one row per answer, or
 *       one tree row per thought holding its M answers (each thought forwarded once).</li>
 *   <li>{@link io.github.dl4jgrpoma.train.SftTrainer} with {@link io.github.dl4jgrpoma.loss.SftLoss}: next-token
 *       training on {@link io.github.dl4jgrpoma.data.SftExample}s, loss on completion tokens only.</li>
 *   <li>{@link io.github.dl4jgrpoma.optim.AdamOptimizer} / {@link io.github.dl4jgrpoma.optim.OptimizerConfig}: the
 *       update of both trainers (the loop is our own because {@code sd.fit} has no clipping and reports loss 0 in
 *       M2.1).</li>
 * </ul>
 *
 * <p>Determinism: every random draw of step {@code s} (prompt sampling, rollouts, SFT batches) is seeded from
 * {@code (seed, s)}, so the completed step count is the whole RNG state; checkpoints (through
 * {@link io.github.dl4jgrpoma.checkpoint.CheckpointStore}) hold weights, Adam moments and that count, and a resumed
 * run reproduces an uninterrupted one. Memory: each step ends by starting {@code System.gc()} on a daemon thread of
 * the trainer, which releases SameDiff's off-heap arrays (DL4J-NOTES section 6); {@code -XX:+ExplicitGCInvokesConcurrent}
 * makes that a concurrent cycle beside the next step's rollout instead of a full collection
 * ({@link io.github.dl4jgrpoma.train.GrpoMaTrainer}).
 */
package io.github.dl4jgrpoma.train;
