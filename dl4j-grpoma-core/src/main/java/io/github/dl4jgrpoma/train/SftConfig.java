package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.optim.OptimizerConfig;

/**
 * Settings of {@link SftTrainer}.
 *
 * @param steps           optimiser steps of {@link SftTrainer#fit()}, {@code >= 0}
 * @param batchSize       examples per step, drawn uniformly with replacement (default 16), {@code >= 1}
 * @param optimizer       Adam settings (default {@link OptimizerConfig#defaults()})
 * @param seed            seed of the example draws: step {@code s} uses a generator seeded from {@code (seed, s)}
 *                        (default 42)
 * @param checkpointEvery checkpoint every N steps and at the end of {@code fit} (0 = off, default), {@code >= 0}
 * @param keepCheckpoints checkpoints kept (default 3), {@code >= 1}
 */
public record SftConfig(long steps, int batchSize, OptimizerConfig optimizer, long seed, int checkpointEvery,
                        int keepCheckpoints) {

    /** Validates; messages name the field, the value and the fix. */
    public SftConfig {
        require(steps >= 0, "steps", steps, "use the number of optimiser steps (>= 0)");
        require(batchSize >= 1, "batchSize", batchSize, "use at least 1 example per step (default 16)");
        require(optimizer != null, "optimizer", optimizer, "pass OptimizerConfig.defaults()");
        require(checkpointEvery >= 0, "checkpointEvery", checkpointEvery, "use 0 (off) or a positive number of steps");
        require(keepCheckpoints >= 1, "keepCheckpoints", keepCheckpoints, "keep at least 1 checkpoint (default 3)");
    }

    /** {@code steps} steps with batch 16, default Adam, seed 42, no checkpoints. */
    public static SftConfig of(long steps) {
        return new SftConfig(steps, 16, OptimizerConfig.defaults(), 42, 0, 3);
    }

    /** A copy with another batch size. */
    public SftConfig withBatchSize(int v) {
        return new SftConfig(steps, v, optimizer, seed, checkpointEvery, keepCheckpoints);
    }

    /** A copy with other optimiser settings. */
    public SftConfig withOptimizer(OptimizerConfig v) {
        return new SftConfig(steps, batchSize, v, seed, checkpointEvery, keepCheckpoints);
    }

    /** A copy with another seed. */
    public SftConfig withSeed(long v) {
        return new SftConfig(steps, batchSize, optimizer, v, checkpointEvery, keepCheckpoints);
    }

    /** A copy with another checkpoint interval. */
    public SftConfig withCheckpointEvery(int v) {
        return new SftConfig(steps, batchSize, optimizer, seed, v, keepCheckpoints);
    }

    /** Fields that change the trajectory (not steps or checkpointing), for checkpoint fingerprints. */
    public String fingerprintText() {
        return "sft[batchSize=" + batchSize + ";" + optimizer + ";seed=" + seed + "]";
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("SftConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }
}
