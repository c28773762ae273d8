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
