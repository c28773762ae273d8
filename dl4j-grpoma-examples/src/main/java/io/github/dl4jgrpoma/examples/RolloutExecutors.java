package io.github.dl4jgrpoma.examples;

import java.util.List;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.spark.api.java.JavaSparkContext;

import io.github.dl4jgrpoma.spark.EmbeddedSpark;
import io.github.dl4jgrpoma.spark.RolloutWorkerSpec;
import io.github.dl4jgrpoma.spark.SparkRolloutExecutor;
import io.github.dl4jgrpoma.train.RolloutExecutorFactory;

/**
 * Where the examples' rollouts and rewards run, from {@code --executor in-process|threads|spark}, {@code --master}
 * (Spark master URL, default: spark-submit's {@code --master} when launched by it, else {@value #DEFAULT_MASTER}),
 * {@code --spark MASTER} (short for both) and
 * {@code --partitions N} (shards per step; default: 2 threads, or Spark's default parallelism, which is N for
 * {@code local[N]}). The Spark context is started at the first {@link #factory} call and stopped by {@link #close}.
 */
public final class RolloutExecutors implements AutoCloseable {
    /** Embedded Spark on two cores of this JVM. */
    public static final String DEFAULT_MASTER = "local[2]";
    private static final List<String> KINDS = ExecutorSettings.EXECUTORS;

    private final String kind;
    private final String master;
    private final int partitions;        // 0: the default (threads: 2; spark: its default parallelism)
    private JavaSparkContext spark;

    private RolloutExecutors(String kind, String master, int partitions) {
        this.kind = kind;
        this.master = master;
        this.partitions = partitions;
    }

    /** Today's behaviour: everything in the trainer's thread. */
    public static RolloutExecutors inProcess() {
        return new RolloutExecutors("in-process", DEFAULT_MASTER, 0);
    }

    /** Spark on {@code master} with {@code partitions} shards per step (0: Spark's default parallelism). */
    public static RolloutExecutors spark(String master, int partitions) {
        return new RolloutExecutors("spark", master, partitions);
    }

    /** Adds the options. */
    public static void addOptions(Options o) {
        CliSupport.opt(o, "executor", "NAME", "where rollouts and rewards run: in-process, threads (local shards) or"
                + " spark (the update stays here)", "in-process");
        CliSupport.opt(o, "master", "URL", "Spark master with --executor spark: local[N] (embedded) or a cluster URL",
                DEFAULT_MASTER);
        CliSupport.opt(o, "spark", "URL", "short for --executor spark --master URL", "off");
        CliSupport.opt(o, "partitions", "N", "prompt shards per step with threads or spark (threads: 2; spark: its"
                + " default parallelism)", "auto");
    }

    /** Reads the options over the defaults ({@link ExecutorSettings#defaults()}). */
    public static RolloutExecutors parse(CommandLine cl) throws UsageException {
        return parse(cl, ExecutorSettings.defaults());
    }

    /**
     * Reads the options over {@code base} (with {@code --resume}, the run's saved executor): {@code --executor} (or
     * {@code --spark}) replaces its executor, {@code --master} / {@code --spark} its master (under spark-submit, the
     * {@code spark.master} it sets), {@code --partitions} its partitions, which are otherwise kept only with its
     * executor.
     */
    public static RolloutExecutors parse(CommandLine cl, ExecutorSettings base) throws UsageException {
        String kind = cl.getOptionValue("executor", cl.hasOption("spark") ? "spark" : base.executor());
        if (!KINDS.contains(kind)) {
            throw new UsageException("--executor " + kind + " is unknown; use one of " + KINDS);
        }
        if (cl.hasOption("spark") && !kind.equals("spark")) {
            throw new UsageException("--spark " + cl.getOptionValue("spark") + " contradicts --executor " + kind
                    + "; drop one of them");
        }
        if (cl.hasOption("spark") && cl.hasOption("master")) {
            throw new UsageException("--spark and --master both give the master; use one of them");
        }
        if ((cl.hasOption("master")) && !kind.equals("spark")) {
            throw new UsageException("--master needs --executor spark (got --executor " + kind + ")");
        }
        if (cl.hasOption("partitions") && kind.equals("in-process")) {
            throw new UsageException("--partitions needs --executor threads or spark");
        }
        // under spark-submit the master comes from its --master (the spark.master system property)
        String flag = cl.hasOption("spark") ? "--spark" : "--master";
        String master = cl.getOptionValue("spark", cl.getOptionValue("master", System.getProperty("spark.master",
                base.executor().equals("spark") ? base.master() : DEFAULT_MASTER))).trim();
        if (kind.equals("spark")) {
            requireMaster(flag, master);
        }
        String p = cl.getOptionValue("partitions", "auto").trim();
        int partitions = !p.equals("auto") ? CliSupport.intOpt(cl, "partitions", 0, 1, 4096)
                : kind.equals(base.executor()) ? base.partitions() : 0;
        return new RolloutExecutors(kind, master.isEmpty() ? DEFAULT_MASTER : master, partitions);
    }

    /** The executor as a run's settings record it. */
    public ExecutorSettings settings() {
        return new ExecutorSettings(kind, master, partitions);
    }

    /**
     * For a resume whose executor differs from the run's {@code saved} one in where the old log-probs come from
     * (recomputed by the trainer for sharded rollouts, else the rollout's own; {@code OldLogProbs.AUTO}): one line
     * saying so and how to keep the run exact; empty otherwise. Our choice: allowed, as TRL and DL4J let a resumed
     * run change where it runs, but never silent.
     */
    public java.util.Optional<String> resumeNote(ExecutorSettings saved, int promptsPerStep) {
        ExecutorSettings now = settings();
        if (saved.recomputesOldLogProbs() == now.recomputesOldLogProbs()) {
            return java.util.Optional.empty();
        }
        String fix = saved.executor().equals(now.executor())
                ? "--partitions " + (saved.partitions() > 0 ? saved.partitions() : ExecutorSettings.DEFAULT_THREADS)
                : "--executor " + saved.executor();
        return java.util.Optional.of(String.format(Locale.ROOT, "[resume] --executor %s: the run's rollouts ran %s, whose"
                + " old log-probs %s; from here the old log-probs switch to %s (OldLogProbs AUTO), so the weights can differ"
                + " from an uninterrupted run by rounding; fix: resume with %s to keep it exact", now.executor(),
                saved.executor().equals("in-process") ? "in-process" : "on " + saved.describe(promptsPerStep, 0),
                saved.recomputesOldLogProbs() ? "the trainer recomputed" : "were the rollout's own",
                now.recomputesOldLogProbs() ? "the trainer's recomputed ones" : "the rollout's own", fix));
    }

    /**
     * Checks the master's form before any work starts (Spark itself would only reject it when the context starts,
     * after the SFT warm-up): {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]},
     * {@code local-cluster[...]}, or a cluster URL ({@code spark://}, {@code yarn}, {@code k8s://}, {@code mesos://}).
     */
    static void requireMaster(String flag, String master) throws UsageException {
        String fix = "; fix: use local[2] (embedded, 2 cores) or a cluster URL such as spark://host:7077";
        if (master.isEmpty()) {
            throw new UsageException(flag + " is blank" + fix);
        }
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?\\])?")
                .matcher(master);
        if (local.matches()) {
            if (local.group(1) != null && local.group(1).matches("0+")) {
                throw new UsageException(flag + " " + master + " asks for 0 cores" + fix);
            }
            return;
        }
        if (master.matches("local-cluster\\[.+\\]|yarn|(spark|k8s|mesos)://\\S+")) {
            return;
        }
        throw new UsageException(flag + " " + master + " is not a Spark master URL" + fix);
    }

    /** The executor factory of a trainer whose workers (Spark only) rebuild policy and rewards from {@code spec}. */
    public RolloutExecutorFactory factory(RolloutWorkerSpec spec) {
        return switch (kind) {
            case "threads" -> RolloutExecutorFactory.threadPool(threads());
            case "spark" -> {
                if (spark == null) {
                    spark = EmbeddedSpark.start(master, "dl4j-grpoma");
                }
                yield SparkRolloutExecutor.factory(spark, spec, partitions > 0 ? partitions : spark.defaultParallelism());
            }
            default -> RolloutExecutorFactory.inProcess();
        };
    }

    /**
     * Whether rewards are scored by the reward objects of this JVM's trainer (in-process, threads); Spark tasks
     * build their own, so counters kept by the driver's reward objects stay at zero.
     */
    public boolean scoresWithTrainerRewards() {
        return !kind.equals("spark");
    }

    /**
     * For the progress line: {@link ExecutorSettings#describe} with Spark's default parallelism once {@link #factory}
     * started the context.
     *
     * @param promptsPerStep the prompts of a step
     */
    public String describe(int promptsPerStep) {
        return settings().describe(promptsPerStep, spark == null ? 0 : spark.defaultParallelism());
    }

    private int threads() {
        return partitions > 0 ? partitions : ExecutorSettings.DEFAULT_THREADS;
    }

    /** Stops the Spark context if one was started. */
    @Override
    public void close() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
    }
}
