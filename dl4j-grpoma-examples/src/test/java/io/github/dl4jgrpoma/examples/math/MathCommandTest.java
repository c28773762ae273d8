package io.github.dl4jgrpoma.examples.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dl4jgrpoma.examples.Main;

/** Runs the math and study commands end to end at a tiny size (a few steps), as a user would. */
class MathCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static final String[] TINY = {"--max-digits", "2", "--width", "16", "--layers", "1", "--heads", "2",
        "--sft-steps", "3", "--sft-batch", "4", "--rl-steps", "2", "--prompts", "2", "--eval-problems", "4",
        "--eval-samples", "1"};

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void tinyMathRunWritesEveryOutput(@TempDir Path dir) throws Exception {
        assertEquals(0, run(with(with(new String[] {"math"}, TINY), "--out", dir.toString())),
                err.toString(StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("held-out greedy accuracy") && s.contains("OOD (3 digits) greedy accuracy"), s);
        for (String f : new String[] {"summary.txt", "samples.txt", "reward.png", "accuracy.png", "grad_norm.png",
            "sft_metrics.csv", "rl_metrics.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f + " written");
        }
        assertEquals(3, Files.readAllLines(dir.resolve("rl_metrics.csv")).size(), "header + 2 RL steps");
        assertTrue(Files.readString(dir.resolve("samples.txt")).contains("thought 3:"), "K = 4 thoughts shown");
        try (var ckpts = Files.list(dir.resolve("checkpoints"))) {
            assertTrue(ckpts.anyMatch(p -> p.getFileName().toString().startsWith("step-")), "final checkpoint");
        }
    }

    @Test
    void badFlagsExitWithUsage() {
        assertEquals(2, run("math", "--estimator", "grpo", "--m", "4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs --m 1"));
        assertEquals(2, run("math", "--k", "1", "--m", "1"));
        assertEquals(2, run("math", "--ops", "add,div"));
        assertEquals(2, run("math", "--width", "30", "--heads", "4"));
        assertEquals(2, run("math", "--aggregation", "median"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sequence-mean"), "lists the known aggregations");
        assertEquals(2, run("study", "--k", "4"));
        assertEquals(2, run("study", "--shapes", "T4X4"));
    }

    @Test
    void tinyStudyWritesTheTable(@TempDir Path dir) throws Exception {
        assertEquals(0, run(with(with(new String[] {"study"}, TINY), "--seeds", "1", "--shapes", "T2A1,T1A2",
                "--eval-every", "1", "--out", dir.toString())), err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("study.md"));
        assertTrue(md.contains("| T2A1 | grpo | 2 | 1 |"), md);
        assertTrue(md.contains("| T1A2 | grpo-ma | 2 | 1 |"), md);
        assertTrue(Files.size(dir.resolve("study_accuracy.png")) > 0);
    }
}
