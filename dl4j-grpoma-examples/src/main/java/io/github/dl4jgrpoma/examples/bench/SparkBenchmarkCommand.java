package io.github.dl4jgrpoma.examples.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.spark.api.java.JavaSparkContext;

import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.examples.code.CodeCommand;
import io.github.dl4jgrpoma.examples.code.CodeExperiment;
import io.github.dl4jgrpoma.examples.code.CodePromptSource;
import io.github.dl4jgrpoma.examples.code.CodeSettings;
import io.github.dl4jgrpoma.examples.code.CodeWorkerSpec;
import io.github.dl4jgrpoma.examples.math.MathExperiment;
import io.github.dl4jgrpoma.examples.math.MathPromptSource;
import io.github.dl4jgrpoma.examples.math.MathSettings;
import io.github.dl4jgrpoma.examples.math.MathWorkerSpec;
import io.github.dl4jgrpoma.spark.EmbeddedSpark;
import io.github.dl4jgrpoma.spark.RolloutWorkerSpec;
import io.github.dl4jgrpoma.spark.SparkRolloutExecutor;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;
import io.github.dl4jgrpoma.train.RolloutExecutorFactory;
import io.github.dl4jgrpoma.train.StepResult;

/**
 * {@code bin/grpoma bench-spark}: the parts of a GRPO-MA step when rollouts and rewards run in-process, on embedded
 * Spark {@code local[1]} and on {@code local[2]}, for the math and code tasks (their default models and rewards,
 * untrained, so thoughts and answers mostly run to their caps), and a projection of the step time against the
 * number of executors built from those parts.
 *
 * <p>Per step (median of {@code --steps} steps after {@code --warmup} untimed ones, each executor starting from the
 * same weights and seed): {@code step} (wall time of {@code trainer.step()}), {@code rollout} and {@code reward}
 * (the trainer's {@code time/rollout_ms} / {@code time/reward_ms}; under Spark {@code reward} is the slowest task's
 * reward time and {@code rollout} the rest of the phase), {@code update} (the driver's update), and under Spark
 * {@code ser} (encoding the weights), {@code bcast} (creating the broadcast), {@code job} (the Spark job),
 * {@code rebuild} (a task rebuilding the policy), {@code t_roll} / {@code t_rew} (the slowest task's rollout and
 * reward), {@code collect} (rebuilding the trees on the driver) and {@code old_lp} (the driver recomputing the old
 * log-probs, part of {@code update}: {@link io.github.dl4jgrpoma.train.OldLogProbs#AUTO} does it for sharded rollouts).
 *
 * <p>Projection (our model, printed with its inputs): {@code T(n) = S + O + R + F + W / n + C + U}, with
 * {@code W} the rollout + reward time of the single {@code local[1]} task (the work that shards; a task decodes with
 * a freshly built policy, so it can exceed the in-process rollout), {@code U} the in-process update plus
 * {@code local[1]}'s {@code old_lp},
 * {@code S} serialise + broadcast, {@code O} Spark's per-job overhead ({@code local[1]} job time minus its task's
 * rebuild, rollout and reward), {@code R} the rebuild, {@code C} the collection (all measured on {@code local[1]}),
 * and {@code F = weights MB / --bandwidth-mbs} for executors on other machines fetching the broadcast (0 when
 * local). It assumes one core per executor, prompts at least n, and shards of equal cost.
 */
public final class SparkBenchmarkCommand implements Command {
    private static final String[] PARTS = {"step", "rollout", "reward", "update", "ser", "bcast", "job", "rebuild",
        "t_roll", "t_rew", "collect", "old_lp"};
    private static final String[] METRICS = {null, "time/rollout_ms", "time/reward_ms", "time/update_ms",
        "spark/serialize_ms", "spark/broadcast_ms", "spark/job_ms", "spark/task_rebuild_ms", "spark/task_rollout_ms",
        "spark/task_reward_ms", "spark/collect_ms", "time/old_logprobs_ms"};
    private static final int[] PROJECTED = {1, 2, 4, 8, 16, 32, 64};

    @Override
    public String name() {
        return "bench-spark";
    }

    @Override
    public String summary() {
        return "step parts in-process vs Spark local[1] vs local[2] (math, code) and step time vs executors";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options o = new Options();
        CliSupport.opt(o, "prompts", "N", "prompts per step", 8);
        CliSupport.opt(o, "k", "N", "thoughts per prompt", 4);
        CliSupport.opt(o, "m", "N", "answers per thought", 4);
        CliSupport.opt(o, "steps", "N", "timed steps per executor and task (median reported)", 3);
        CliSupport.opt(o, "warmup", "N", "untimed steps first (JIT, Spark start-up)", 1);
        CliSupport.opt(o, "bandwidth-mbs", "X", "network MB/s assumed for remote executors fetching the broadcast", 100);
        CliSupport.opt(o, "seed", "N", "seed of weights, prompts and sampling", 1);
        CommandLine cl = CliSupport.parse(o, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), o);
            return 0;
        }
        int prompts = CliSupport.intOpt(cl, "prompts", 8, 1, 4096);
        int k = CliSupport.intOpt(cl, "k", 4, 1, 64);
        int m = CliSupport.intOpt(cl, "m", 4, 1, 64);
        CliSupport.checkShape("grpo-ma", k, m);
        int steps = CliSupport.intOpt(cl, "steps", 3, 1, 1000);
        int warmup = CliSupport.intOpt(cl, "warmup", 1, 0, 1000);
        double bandwidth = CliSupport.doubleOpt(cl, "bandwidth-mbs", 100, 1e-3, 1e6);
        long seed = CliSupport.longOpt(cl, "seed", 1);

        MathSettings ms = MathSettings.defaults().with("promptsPerStep", prompts).with("thoughts", k).with("answers", m)
                .with("seed", seed);
        CodeSettings cs = CodeSettings.defaults().with("thoughts", k).with("answers", m).with("promptsPerStep", prompts)
                .with("seed", seed);
        List<Task> tasks = List.of(
                new Task("math", MathWorkerSpec.of(ms), MathExperiment.rlConfig(ms),
                        new MathPromptSource(ms.task(), MathExperiment.tokenizer()), null),
                new Task("code", CodeWorkerSpec.of(cs), CodeExperiment.rlConfig(cs),
                        new CodePromptSource(cs.task(), CodeExperiment.tokenizer()), cs));
        out.printf(Locale.ROOT, "bench-spark: T%dA%d, %d prompts per step, median of %d steps after %d warm-up; "
                + "OMP_NUM_THREADS=%s, %d cores%n", k, m, prompts, steps, warmup, System.getenv("OMP_NUM_THREADS"),
                Runtime.getRuntime().availableProcessors());

        Map<String, Map<String, double[]>> results = new LinkedHashMap<>();   // task -> executor -> medians
        for (Task t : tasks) {
            results.computeIfAbsent(t.name, x -> new LinkedHashMap<>())
                    .put("in-process", measure(t, RolloutExecutorFactory.inProcess(), warmup, steps));
        }
        for (String master : List.of("local[1]", "local[2]")) {
            JavaSparkContext spark = EmbeddedSpark.start(master, "grpoma-bench-spark");
            try {
                for (Task t : tasks) {
                    RolloutExecutorFactory f = SparkRolloutExecutor.factory(spark, t.spec, spark.defaultParallelism());
                    results.get(t.name).put("spark " + master, measure(t, f, warmup, steps));
                }
            } finally {
                spark.stop();
            }
        }
        for (Task t : tasks) {
            print(out, t.name, results.get(t.name), weightsMb(t), bandwidth);
        }
        return 0;
    }

    /** A task of the benchmark; {@code code} is non-null for the code task (parallel rewards with a timeout). */
    private record Task(String name, RolloutWorkerSpec spec, GrpoMaConfig config, PromptSource prompts, CodeSettings code) {
    }

    /** Median of every part over the timed steps; the last slot holds the weights' MB. */
    private static double[] measure(Task t, RolloutExecutorFactory executor, int warmup, int steps) {
        var b = GrpoMaTrainer.builder().policy(t.spec.newPolicy()).tokenizer(t.spec.tokenizer()).promptSource(t.prompts)
                .reward(t.spec.reward()).config(t.config).rolloutExecutor(executor).runName("bench-spark-" + t.name);
        if (t.code != null) {
            b.parallelRewards(t.code.rewardThreads(), java.time.Duration.ofMillis(t.code.rewardTimeoutMs()));
        }
        GrpoMaTrainer trainer = b.build();
        double[][] samples = new double[PARTS.length + 1][steps];
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            StepResult r = trainer.step();
            double wall = (System.nanoTime() - t0) / 1e6;
            if (s >= warmup) {
                samples[0][s - warmup] = wall;
                for (int i = 1; i < PARTS.length; i++) {
                    samples[i][s - warmup] = r.metrics().getOrDefault(METRICS[i], Double.NaN);
                }
                samples[PARTS.length][s - warmup] = r.metrics().getOrDefault("spark/weights_mb", Double.NaN);
            }
        }
        double[] med = new double[PARTS.length + 1];
        for (int i = 0; i < med.length; i++) {
            med[i] = median(samples[i]);
        }
        return med;
    }

    private static double weightsMb(Task t) {
        return io.github.dl4jgrpoma.spark.WeightsCodec.encode(t.spec.newPolicy().parameters()).length / 1e6;
    }

    private static void print(PrintStream out, String task, Map<String, double[]> rows, double weightsMb, double bandwidth) {
        out.printf(Locale.ROOT, "%n%s: ms per step (median)%n%-16s", task, "executor");
        for (String p : PARTS) {
            out.printf(Locale.ROOT, "%9s", p);
        }
        out.println();
        for (Map.Entry<String, double[]> e : rows.entrySet()) {
            out.printf(Locale.ROOT, "%-16s", e.getKey());
            for (int i = 0; i < PARTS.length; i++) {
                out.printf(Locale.ROOT, "%9s", Double.isNaN(e.getValue()[i]) ? "-" : String.format(Locale.ROOT, "%.1f", e.getValue()[i]));
            }
            out.println();
        }
        double[] in = rows.get("in-process");
        double[] one = rows.get("spark local[1]");
        double[] two = rows.get("spark local[2]");
        double w = one[8] + one[9];
        double u = in[3] + (Double.isNaN(one[11]) ? 0 : one[11]);
        double s = one[4] + one[5];
        double r = one[7];
        double overhead = Math.max(0, one[6] - one[7] - one[8] - one[9]);
        double c = one[10];
        double f = weightsMb / bandwidth * 1e3;
        out.printf(Locale.ROOT, "projection T(n) = S + O + R + F + W/n + C + U with W=%.1f U=%.1f S=%.1f O=%.1f R=%.1f C=%.1f"
                + " F=%.2f (%.3f MB at %.0f MB/s)%n", w, u, s, overhead, r, c, f, weightsMb, bandwidth);
        out.printf(Locale.ROOT, "%-16s%9s%9s%n", "executors n", "T(n) ms", "speedup");
        for (int n : PROJECTED) {
            double tn = s + overhead + r + f + w / n + c + u;
            out.printf(Locale.ROOT, "%-16d%9.1f%9.2f%n", n, tn, in[0] / tn);
        }
        double limit = s + overhead + r + f + c + u;
        out.printf(Locale.ROOT, "limit (n -> inf): %.1f ms, speedup %.2f; check: projected T(2) without F %.1f ms vs measured"
                + " local[2] step %.1f ms (local[1] %.1f, in-process %.1f)%n", limit, in[0] / limit,
                s + overhead + r + w / 2 + c + u, two[0], one[0], in[0]);
        out.printf(Locale.ROOT, "(speedup = in-process step %.1f ms / T(n))%n", in[0]);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

}
