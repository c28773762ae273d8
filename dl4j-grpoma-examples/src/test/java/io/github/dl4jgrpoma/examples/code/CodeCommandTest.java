package io.github.dl4jgrpoma.examples.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dl4jgrpoma.examples.Main;

/** Runs the code command end to end at a tiny size (a few steps), as a user would. */
class CodeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void tinyCodeRunWritesEveryOutput(@TempDir Path dir) throws Exception {
        assertEquals(0, run("code", "--width", "16", "--layers", "1", "--heads", "2", "--sft-steps", "3",
                "--sft-batch", "4", "--rl-steps", "2", "--prompts", "2", "--eval-problems", "3", "--pass-k", "2",
                "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("held-out pass@1") && s.contains("held-out pass@2")
                && s.contains("held-out a*n+b combinations pass@1"), s);
        assertTrue(s.contains("sandbox failures (runs) during RL:       parse "), s);
        for (String f : new String[] {"config.json", "summary.txt", "samples.txt", "reward.png", "grad_norm.png", "sft_metrics.csv",
            "rl_metrics.csv"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f + " written");
        }
        assertEquals(3, Files.readAllLines(dir.resolve("rl_metrics.csv")).size(), "header + 2 RL steps");
        assertTrue(Files.readString(dir.resolve("samples.txt")).contains("thought 3:"), "K = 4 thoughts shown");
        try (var ckpts = Files.list(dir.resolve("checkpoints").resolve("rl"))) {
            assertTrue(ckpts.anyMatch(p -> p.getFileName().toString().startsWith("step-")), "final checkpoint");
        }
    }

    @Test
    void aResumedRunContinuesExactlyAndAFolderWithARunIsNotReusedSilently(@TempDir Path dir) throws Exception {
        String[] tiny = {"--width", "16", "--layers", "1", "--heads", "2", "--sft-steps", "3", "--sft-batch", "4",
            "--prompts", "2", "--eval-problems", "2", "--pass-k", "1"};
        assertEquals(0, run(concat(new String[] {"code", "--rl-steps", "4", "--out", dir.resolve("whole").toString()}, tiny)));
        assertEquals(0, run(concat(new String[] {"code", "--rl-steps", "2", "--out", dir.resolve("cut").toString()}, tiny)));
        assertEquals(2, run(concat(new String[] {"code", "--rl-steps", "4", "--out", dir.resolve("cut").toString()}, tiny)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already holds a run"), err.toString(StandardCharsets.UTF_8));
        String savedConfig = Files.readString(dir.resolve("cut").resolve("config.json"));
        err.reset();
        assertEquals(2, run("code", "--rl-steps", "4", "--lr", "1e-3", "--resume", "--out", dir.resolve("cut").toString()));
        String refused = err.toString(StandardCharsets.UTF_8);
        assertTrue(refused.contains("--lr 0.001 (the run has 0.0003)") && refused.contains("fix: drop --lr"), refused);
        assertTrue(!refused.contains("\tat "), "one line, no stack trace: " + refused);
        assertEquals(savedConfig, Files.readString(dir.resolve("cut").resolve("config.json")), "a refused resume keeps config.json");
        err.reset();
        assertEquals(2, run("code", "--resume", "--out", dir.resolve("empty").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("holds no run to resume"), err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(dir.resolve("empty")), "a mistyped --out with --resume creates no folder");
        Files.createDirectories(dir.resolve("empty2"));
        assertEquals(2, run("code", "--resume", "--out", dir.resolve("empty2").toString()));
        assertEquals(0, run("code", "--rl-steps", "4", "--resume", "--out", dir.resolve("cut").toString()),
                err.toString(StandardCharsets.UTF_8));         // the other settings come from the run's config.json
        List<String> whole = Files.readAllLines(dir.resolve("whole").resolve("rl_metrics.csv"));
        List<String> cut = Files.readAllLines(dir.resolve("cut").resolve("rl_metrics.csv"));
        assertEquals(5, cut.size(), "header + 4 RL steps");
        int loss = List.of(whole.get(0).split(",")).indexOf("loss");
        int reward = List.of(whole.get(0).split(",")).indexOf("reward/mean");
        for (int i = 1; i < 5; i++) {
            assertEquals(whole.get(i).split(",")[loss], cut.get(i).split(",")[loss], "loss at step " + i);
            assertEquals(whole.get(i).split(",")[reward], cut.get(i).split(",")[reward], "reward at step " + i);
        }
        // a resume of the finished run runs no step: the summary keeps the seconds of the processes that ran the phases
        Files.writeString(dir.resolve("cut").resolve("times.json"), "{\"sftSeconds\": 1234.4, \"rlSeconds\": 567.0}");
        assertEquals(0, run("code", "--resume", "--out", dir.resolve("cut").toString()), err.toString(StandardCharsets.UTF_8));
        String summary = Files.readString(dir.resolve("cut").resolve("summary.txt"));
        assertTrue(summary.contains("SFT: 3 steps in 1234 s; RL: 4 steps in 567 s"), summary);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badFlagsExitWithUsage() {
        assertEquals(2, run("code", "--estimator", "grpo", "--m", "4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--estimator grpo") && err.toString(StandardCharsets.UTF_8).contains("needs M = 1"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("code", "--k", "1", "--m", "1"));
        assertEquals(2, run("code", "--reward-timeout-ms", "0"));
        assertEquals(2, run("code", "--width", "30", "--heads", "4"));
    }
}
