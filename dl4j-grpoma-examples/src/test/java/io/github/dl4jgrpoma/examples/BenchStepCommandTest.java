package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class BenchStepCommandTest {

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void quickJavaOnlyRunPrintsTheSplitOfBothShapes() {
        String[] r = run("bench-step", "--quick", "--torch", "off");
        assertEquals("0", r[0], r[2]);
        String s = r[1];
        // quick: 2 prompts x 4 tokens, thoughts 6, answers 2; T16A1: 2 x 16 x (6 + 2) = 256 sampled, 32 rows x 13
        assertTrue(s.contains("d=16 T16A1 (256 sampled tokens, update 416 packed tokens; one row per answer would be 32 rows x 13)"), s);
        // T4A4: 2 x (4 x 6 + 16 x 2) = 112 sampled; tree rows: 8 thoughts x (4 + 7 - 1 trunk + 4 x 2 answers) = 144 tokens
        assertTrue(s.contains("d=16 T4A4 (112 sampled tokens, update 144 packed tokens; one row per answer would be 32 rows x 13)"), s);
        for (String part : new String[] {"rollout", "reward", "pack", "reference", "forward_backward", "optimizer", "whole step"}) {
            assertTrue(Pattern.compile("(?m)^  " + part + " +\\d+\\.\\d{4}$").matcher(s).find(), part + " missing in\n" + s);
        }
        assertTrue(s.contains("whole step T4A4 / T16A1: Java"), s);
        assertTrue(s.contains("peak RSS (VmHWM): Java"), s);
    }

    @Test
    void perAnswerRowsPackEveryAnswerWithItsThought() {
        String[] r = run("bench-step", "--quick", "--torch", "off", "--row-packing", "per-answer");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("Java: backprop model, row packing PER_ANSWER"), r[1]);
        assertTrue(r[1].contains("d=16 T4A4 (112 sampled tokens, update 416 packed tokens; one row per answer would be 32 rows x 13)"),
                r[1]);
    }

    @Test
    void soakReportsRssSlope() {
        String[] r = run("bench-step", "--quick", "--soak", "20");
        assertEquals("0", r[0], r[2]);
        Matcher m = Pattern.compile("RSS slope after step 2: (-?\\d+\\.\\d+) MB per 100 steps \\((\\d+) samples\\)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        assertEquals("2", m.group(2));
        assertTrue(r[1].contains("JVM options: "), r[1]);
        assertTrue(r[1].contains("collection every 4 steps"), r[1]);
        Matcher split = Pattern.compile("step +20 +RSS +(\\d+\\.\\d) MB .*\\(Java heap committed (\\d+\\.\\d) MB, JVM"
                + " non-heap (\\d+\\.\\d) MB, RSS minus both (-?\\d+\\.\\d) MB\\)").matcher(r[1]);
        assertTrue(split.find(), r[1]);
        assertTrue(Double.parseDouble(split.group(2)) >= 1 && Double.parseDouble(split.group(3)) >= 1, r[1]);
    }

    @Test
    void quickRunWithPyTorchPrintsRatios() {
        String[] probe = run("bench-step", "--quick", "--reps", "1", "--torch", "auto", "--widths", "8", "--layers", "1");
        assumeTrue(!probe[1].contains("PyTorch comparison skipped"), "python3 with torch is not installed");
        assertEquals("0", probe[0], probe[2]);
        assertTrue(Pattern.compile("(?m)^  whole step +\\d+\\.\\d{4} +\\d+\\.\\d{4} +\\d+\\.\\d\\dx$").matcher(probe[1]).find(),
                probe[1]);
        assertTrue(probe[1].contains("PyTorch peer: threads="), probe[1]);
    }

    @Test
    void badOptionsExitWithStatus2() {
        assertEquals("2", run("bench-step", "--torch", "maybe")[0]);
        assertEquals("2", run("bench-step", "--widths", "130", "--heads", "4")[0]);
        assertEquals("2", run("bench-step", "--vocab", "200")[0]);
        assertEquals("2", run("bench-step", "--row-packing", "maybe")[0]);
        String[] backprop = run("bench-step", "--backprop", "autograd");
        assertEquals("2", backprop[0]);
        assertTrue(backprop[2].contains("--backprop must be model or graph, got 'autograd'"), backprop[2]);
        assertEquals("2", run("bench-step", "--compare-backprop", "--compare-threads")[0]);
        String[] two = run("bench-step", "--compare-rollout-threads", "--compare-threads");
        assertEquals("2", two[0]);
        assertTrue(two[2].contains("give one of them"), two[2]);
        assertEquals("2", run("bench-step", "--rollout-threads", "-1")[0]);
        String[] growth = run("bench-step", "--collection-interval", "-1");
        assertEquals("2", growth[0]);
        assertTrue(growth[2].contains("--collection-interval"), growth[2]);
        String[] one = run("bench-step", "--compare-threads", "--update-threads", "1");
        assertEquals("2", one[0]);
        assertTrue(one[2].contains("--compare-threads compares the default update threads with 1"), one[2]);
    }

    @Test
    void compareBackpropRunsTheGraphDifferentiatedStepAlongside() {
        String[] r = assertComparison("--compare-backprop", "the model's backprop", "the graph differentiated");
        assertTrue(r[1].contains("Java: backprop model,"), r[1]);
        String[] g = run("bench-step", "--quick", "--torch", "off", "--backprop", "graph", "--widths", "8", "--layers", "1");
        assertEquals("0", g[0], g[2]);
        assertTrue(g[1].contains("Java: backprop graph,"), g[1]);
    }

    @Test
    void compareRolloutThreadsRunsTheShardedRolloutAlongside() {
        String[] r = assertComparison("--compare-rollout-threads", "the default rollout executor", "1 rollout thread");
        assertTrue(r[1].contains("rollout auto: prompts in shards of >= 64 thought rows"), r[1]);
        String[] one = run("bench-step", "--quick", "--torch", "off", "--compare-rollout-threads", "--rollout-threads", "1");
        assertEquals("0", one[0], one[2]);
        assertTrue(one[1].contains("rollout in-process,") && one[1].contains("1 rollout thread / 2 rollout threads"), one[1]);
        // with the graph differentiated the default is in-process already: compared with 2 threads, not with itself
        String[] graph = run("bench-step", "--quick", "--torch", "off", "--compare-rollout-threads", "--backprop", "graph",
                "--widths", "8", "--layers", "1");
        assertEquals("0", graph[0], graph[2]);
        assertTrue(graph[1].contains("rollout in-process (the graph's default),")
                && graph[1].contains("the default rollout executor / 2 rollout threads"), graph[1]);
    }

    /** A quick run with {@code option} prints the other step's time and the ratio of {@code self} to {@code other}. */
    private static String[] assertComparison(String option, String self, String other) {
        String[] r = run("bench-step", "--quick", "--torch", "off", option);
        assertEquals("0", r[0], r[2]);
        Matcher m = Pattern.compile("Java with " + Pattern.quote(other) + ": whole step (\\d+\\.\\d{4}) s, .*"
                + Pattern.quote(self + " / " + other) + ": whole step (\\d+\\.\\d\\d)x").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        assertTrue(Double.parseDouble(m.group(1)) > 0, r[1]);
        return r;
    }
}
