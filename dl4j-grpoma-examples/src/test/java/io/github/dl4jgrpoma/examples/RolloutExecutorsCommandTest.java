package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --executor} / {@code --spark} on the math and code commands: usage errors, and tiny runs on embedded Spark. */
class RolloutExecutorsCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private void usageError(String fragment, String... args) {
        assertEquals(2, run(args), err.toString(StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains(fragment), "'" + fragment + "' in " + e);
        assertFalse(e.contains("\tat "), e);
    }

    @Test
    void badExecutorOptionsExitTwoWithOneLine() {
        usageError("--executor gpu is unknown", "math", "--executor", "gpu");
        usageError("contradicts --executor threads", "code", "--spark", "local[2]", "--executor", "threads");
        usageError("--master needs --executor spark", "math", "--master", "local[2]");
        usageError("--partitions needs --executor threads or spark", "code", "--partitions", "2");
        usageError("--partitions", "math", "--executor", "threads", "--partitions", "0");
        usageError("--k times --m must be >= 2", "bench-spark", "--k", "1", "--m", "1");
        // the master is checked before any work (Spark itself would reject it only after the SFT warm-up)
        usageError("--spark bogus is not a Spark master URL", "math", "--spark", "bogus");
        usageError("--master local[0] asks for 0 cores", "code", "--executor", "spark", "--master", "local[0]");
        usageError("--spark is blank", "math", "--spark", " ");
        usageError("--partitions must be an integer", "math", "--executor", "spark", "--partitions", "many");
        assertEquals(0, run("bench-spark", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--bandwidth-mbs"), out.toString(StandardCharsets.UTF_8));
    }

    /** The progress line names the shards that run: one per prompt at most. */
    @Test
    void threadsDescribeTheShardsThatRun() throws UsageException {
        org.apache.commons.cli.Options o = new org.apache.commons.cli.Options();
        RolloutExecutors.addOptions(o);
        try (RolloutExecutors e = RolloutExecutors.parse(CliSupport.parse(o, new String[] {"--executor", "threads",
            "--partitions", "4096"}))) {
            e.factory(null);
            assertEquals("threads x 3 shards (--partitions 4096, at most one per prompt of a step)", e.describe(3));
            assertEquals("threads x 4096 shards", e.describe(5000));
        }
        try (RolloutExecutors e = RolloutExecutors.parse(CliSupport.parse(o, new String[] {"--executor", "threads"}))) {
            assertEquals("threads x 2 shards", e.describe(16));
            assertEquals("threads x 1 shard (default 2, at most one per prompt of a step)", e.describe(1));
        }
        assertEquals("in-process", RolloutExecutors.inProcess().describe(16));
    }

    /**
     * The executor is part of the run's config.json: --resume continues on it; another --executor is allowed (where
     * rollouts run is deployment, as in TRL) and, when that switches where the old log-probs come from, says so in one
     * line and records the new executor.
     */
    @Test
    void aResumeKeepsTheRunsExecutorAndSaysWhenAnotherOneSwitchesTheOldLogProbs(@TempDir Path dir) throws IOException {
        String[] tiny = {"math", "--max-digits", "2", "--width", "16", "--layers", "1", "--heads", "2", "--sft-steps", "1",
            "--sft-batch", "4", "--prompts", "3", "--k", "2", "--m", "2", "--eval-problems", "1", "--eval-samples", "0",
            "--eval-every", "0", "--out", dir.toString()};
        assertEquals(0, run(with(tiny, "--rl-steps", "1", "--executor", "threads")), err.toString(StandardCharsets.UTF_8));
        String config = Files.readString(dir.resolve("config.json"));
        assertTrue(config.contains("\"executor\" : \"threads\""), config);
        assertTrue(Files.readString(dir.resolve("summary.txt")).contains("rollouts: threads x 2 shards; old log-probs"
                + " recomputed by the trainer"), Files.readString(dir.resolve("summary.txt")));

        assertEquals(0, run("math", "--resume", "--rl-steps", "2", "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String same = out.toString(StandardCharsets.UTF_8);
        assertTrue(same.contains("rollouts threads x 2 shards"), "continues on the run's executor: " + same);
        assertFalse(same.contains("old log-probs switch"), same);

        assertEquals(0, run("math", "--resume", "--rl-steps", "3", "--executor", "in-process", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        List<String> notes = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("old log-probs switch")).toList();
        assertEquals(List.of("[resume] --executor in-process: the run's rollouts ran on threads x 2 shards, whose old"
                + " log-probs the trainer recomputed; from here the old log-probs switch to the rollout's own (OldLogProbs"
                + " AUTO), so the weights can differ from an uninterrupted run by rounding; fix: resume with --executor"
                + " threads to keep it exact"), notes);
        assertTrue(Files.readString(dir.resolve("config.json")).contains("\"executor\" : \"in-process\""));
        assertEquals(4, Files.readAllLines(dir.resolve("rl_metrics.csv")).size(), "header + 3 RL steps");
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** The executor flags apply over the run's saved executor. */
    @Test
    void flagsApplyOverTheSavedExecutor() throws UsageException {
        org.apache.commons.cli.Options o = new org.apache.commons.cli.Options();
        RolloutExecutors.addOptions(o);
        ExecutorSettings threads = new ExecutorSettings("threads", RolloutExecutors.DEFAULT_MASTER, 3);
        assertEquals(threads, RolloutExecutors.parse(CliSupport.parse(o, new String[0]), threads).settings());
        assertEquals(new ExecutorSettings("threads", RolloutExecutors.DEFAULT_MASTER, 4), RolloutExecutors.parse(
                CliSupport.parse(o, new String[] {"--partitions", "4"}), threads).settings(), "--partitions of a threads run");
        assertEquals(ExecutorSettings.defaults(), RolloutExecutors.parse(CliSupport.parse(o, new String[] {"--executor",
            "in-process"}), threads).settings());
        assertEquals(new ExecutorSettings("spark", "local[3]", 0), RolloutExecutors.parse(CliSupport.parse(o,
                new String[] {"--spark", "local[3]"}), threads).settings(), "the saved partitions belong to the saved executor");
        assertTrue(threads.recomputesOldLogProbs());
        assertFalse(new ExecutorSettings("threads", RolloutExecutors.DEFAULT_MASTER, 1).recomputesOldLogProbs());
        assertFalse(ExecutorSettings.defaults().recomputesOldLogProbs());
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ExecutorSettings("gpu", "local[2]", 0));
        assertTrue(bad.getMessage().contains("ExecutorSettings.executor = gpu") && bad.getMessage().contains("in-process"),
                bad.getMessage());
    }

    /** A tiny math run on embedded Spark records the Spark metrics (equality with in-process: the spark module's tests). */
    @Test
    void mathRunsOnEmbeddedSpark(@TempDir Path dir) throws IOException {
        assertEquals(0, run("math", "--max-digits", "2", "--width", "16", "--layers", "1", "--heads", "2", "--sft-steps", "1",
                "--sft-batch", "4", "--rl-steps", "1", "--prompts", "3", "--k", "2", "--m", "2", "--eval-problems", "1",
                "--eval-samples", "0", "--eval-every", "0", "--spark", "local[2]", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        // the resolved number (Spark's default parallelism of local[2]), not "default"
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("rollouts spark local[2] x 2 partitions (Spark's default"
                + " parallelism)"), out.toString(StandardCharsets.UTF_8));
        Map<String, String> row = rows(dir.resolve("rl_metrics.csv")).get(0);
        assertEquals(2.0, Double.parseDouble(row.get("spark/partitions")), 0);
        assertTrue(Double.parseDouble(row.get("spark/job_ms")) > 0);
        // sharded rollouts: the driver recomputes the old log-probs (OldLogProbs.AUTO), so the ratio is exactly 1
        assertTrue(Double.parseDouble(row.get("rollout/logprob_diff_max")) < 1e-4, row.toString());
        assertEquals(1.0, Double.parseDouble(row.get("ratio/mean")), 0.0);
    }

    @Test
    void codeRunsOnEmbeddedSpark(@TempDir Path dir) throws IOException {
        assertEquals(0, run("code", "--width", "16", "--layers", "1", "--heads", "2", "--sft-steps", "1", "--sft-batch", "4",
                "--rl-steps", "1", "--prompts", "2", "--k", "2", "--m", "2", "--eval-problems", "1", "--pass-k", "1",
                "--executor", "spark", "--master", "local[2]", "--partitions", "4096", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        Map<String, String> row = rows(dir.resolve("rl_metrics.csv")).get(0);
        assertEquals(2.0, Double.parseDouble(row.get("spark/partitions")), 0, "one shard per prompt at most");
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("rollouts spark local[2] x 2 partitions (--partitions 4096,"
                + " at most one per prompt of a step)"), out.toString(StandardCharsets.UTF_8));
        assertTrue(Double.parseDouble(row.get("spark/weights_mb")) > 0);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("during RL:       not counted here (rewards ran in Spark tasks"),
                out.toString(StandardCharsets.UTF_8));
    }

    private static List<Map<String, String>> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        return lines.subList(1, lines.size()).stream().map(l -> {
            String[] v = l.split(",", -1);
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                m.put(header[i], i < v.length ? v[i] : "");
            }
            return m;
        }).toList();
    }
}
