package io.github.dl4jgrpoma.train;

import java.util.Set;

import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

/**
 * Settings of {@link SftTrainer}.
 *
 * @param steps           optimiser steps of {@link SftTrainer#fit()}, {@code >= 0}
 * @param batchSize       examples per step, drawn uniformly with replacement (default 16), {@code >= 1}
 * @param optimizer       Adam settings (default {@link OptimizerConfig#defaults()})
 * @param seed            seed of the example draws: step {@code s} uses a generator seeded from {@code (seed, s)}
 *                        (default 42)
 * @param checkpointEvery with a checkpoint directory, a checkpoint every N steps (default
 *                        {@value GrpoMaConfig#DEFAULT_CHECKPOINT_EVERY}; 0 = only at the end) and always at the end
 *                        of {@code fit}; {@code >= 0}
 * @param keepCheckpoints checkpoints kept (default 3), {@code >= 1}
 */
public record SftConfig(long steps, int batchSize, OptimizerConfig optimizer, long seed, int checkpointEvery,
                        int keepCheckpoints) {
    /** Fields left out of the checkpoint fingerprint; every other field enters it. */
    public static final Set<String> NOT_FINGERPRINTED = GrpoMaConfig.NOT_FINGERPRINTED;

    /** Validates; messages name the field, the value and the fix. */
    public SftConfig {
        require(steps >= 0, "steps", steps, "use the number of optimiser steps (>= 0)");
        require(batchSize >= 1, "batchSize", batchSize, "use at least 1 example per step (default 16)");
        require(optimizer != null, "optimizer", optimizer, "pass OptimizerConfig.defaults()");
        require(checkpointEvery >= 0, "checkpointEvery", checkpointEvery,
                "use a positive number of steps (default " + GrpoMaConfig.DEFAULT_CHECKPOINT_EVERY + ") or 0 (only at the end)");
        require(keepCheckpoints >= 1, "keepCheckpoints", keepCheckpoints, "keep at least 1 checkpoint (default 3)");
    }

    /** {@code steps} steps with batch 16, default Adam, seed 42, the default checkpoint interval and retention. */
    public static SftConfig of(long steps) {
        return new SftConfig(steps, 16, OptimizerConfig.defaults(), 42, GrpoMaConfig.DEFAULT_CHECKPOINT_EVERY,
                GrpoMaConfig.DEFAULT_KEEP_CHECKPOINTS);
    }

    /** Reads a (partial) JSON config over the defaults of {@link #of(long)} with 100 steps. */
    public static SftConfig fromJson(String json, String source) {
        return ConfigJson.read(json, SftConfig.class, of(100), source);
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

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("SftConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }
}
