package io.github.dl4jgrpoma.examples;

import java.util.List;

/**
 * Where a run's rollouts and rewards run ({@code --executor}, {@code --master}, {@code --partitions}), as a field of the
 * {@code math} and {@code code} settings, so that the run's {@code config.json} records it and {@code --resume}
 * continues on it (flags given override it, see {@link RolloutExecutors#parse}). Like TRL's {@code use_vllm} /
 * {@code vllm_mode}, it is deployment: it does not change what is sampled, but it decides where the update's old
 * log-probs come from ({@code OldLogProbs.AUTO}: recomputed by the trainer when the rollout is sharded).
 *
 * @param executor   {@code in-process}, {@code threads} or {@code spark}
 * @param master     the Spark master URL (used by {@code spark} only), not blank
 * @param partitions prompt shards per step, 1..4096, or 0 for the default (threads: 2; spark: its default parallelism)
 */
public record ExecutorSettings(String executor, String master, int partitions) {
    /** The executors. */
    public static final List<String> EXECUTORS = List.of("in-process", "threads", "spark");
    /** Shards of {@code threads} when {@code partitions} is 0. */
    public static final int DEFAULT_THREADS = 2;
    private static final SettingsChecks CHECKS = new SettingsChecks("ExecutorSettings");

    /** Validates every field; messages name the field, the value and the fix. */
    public ExecutorSettings {
        CHECKS.require(executor != null && EXECUTORS.contains(executor), "executor", executor, "use one of " + EXECUTORS);
        CHECKS.require(master != null && !master.isBlank(), "master", master, "use local[2] or a cluster URL");
        CHECKS.require(partitions >= 0 && partitions <= 4096, "partitions", partitions, "use 0 (default) or 1..4096");
    }

    /** Everything in the trainer's thread (the default). */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings("in-process", RolloutExecutors.DEFAULT_MASTER, 0);
    }

    /**
     * Whether the trainer recomputes the old log-probs under {@code OldLogProbs.AUTO}: the rollout is decoded in shards
     * whose log-probs may round differently from one engine call (the thread pool with 2 or more threads, Spark), as
     * {@code RolloutExecutor.reproducesEngineLogProbs()} of the executor this builds reports.
     */
    public boolean recomputesOldLogProbs() {
        return switch (executor) {
            case "spark" -> true;
            case "threads" -> (partitions == 0 ? DEFAULT_THREADS : partitions) != 1;
            default -> false;
        };
    }

    /**
     * For progress lines and summaries, e.g. {@code threads x 2 shards} or {@code spark local[2] x 2 partitions (Spark's
     * default parallelism)}: the shards that run, at most one per prompt ({@code PromptShards}), and where their number
     * comes from.
     *
     * @param promptsPerStep         the prompts of a step
     * @param sparkDefaultParallelism the Spark context's default parallelism, 0 when no context runs (then the default
     *                               is named, not counted)
     */
    public String describe(int promptsPerStep, int sparkDefaultParallelism) {
        return switch (executor) {
            case "threads" -> "threads x " + shards(partitions > 0 ? partitions : DEFAULT_THREADS, promptsPerStep, "shard");
            case "spark" -> "spark " + master + " x " + (partitions == 0 && sparkDefaultParallelism == 0
                    ? "Spark's default parallelism partitions"
                    : shards(partitions > 0 ? partitions : sparkDefaultParallelism, promptsPerStep, "partition"));
            default -> "in-process";
        };
    }

    private String shards(int wanted, int promptsPerStep, String noun) {
        int n = Math.min(wanted, promptsPerStep);
        boolean sparkDefault = executor.equals("spark") && partitions == 0;
        String source = partitions > 0 ? "--partitions " + wanted
                : sparkDefault ? "Spark's default parallelism " + wanted : "default " + wanted;
        if (n < wanted) {
            return ReportText.count(n, noun) + " (" + source + ", at most one per prompt of a step)";
        }
        return ReportText.count(n, noun) + (sparkDefault ? " (Spark's default parallelism)" : "");
    }

    /** For summaries: where the old log-probs come from, e.g. {@code recomputed by the trainer}. */
    public String oldLogProbs() {
        return recomputesOldLogProbs() ? "recomputed by the trainer" : "recorded by the rollout";
    }
}
