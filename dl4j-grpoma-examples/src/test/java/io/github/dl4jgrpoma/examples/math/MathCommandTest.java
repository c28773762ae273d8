package io.github.dl4jgrpoma.examples.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Main;
import io.github.dl4jgrpoma.examples.MetricsRows;
import io.github.dl4jgrpoma.examples.RunDirectory;

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

    /**
     * Run a: uninterrupted, writes every output. Run b is the same run cut into three processes (SFT stopped
     * early; RL stopped after step 2 with a row of step 3 and half a row written after the last checkpoint, as
     * a kill leaves them; then --resume twice) and ends exactly as a: the same metrics rows once each, the same
     * summary. Then b's folder refuses a new run without --resume/--overwrite, refuses a second concurrent run,
     * and --overwrite starts its metrics fresh.
     */
    @Test
    void tinyRunWritesEveryOutputAndAResumedRunEqualsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        String[] common = with(TINY, "--eval-every", "0");
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, run(with(with(new String[] {"math"}, common), "--rl-steps", "4", "--out", a.toString())),
                err.toString(StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("held-out greedy accuracy") && s.contains("OOD (3 digits) greedy accuracy"), s);
        for (String f : new String[] {"summary.txt", "samples.txt", "reward.png", "accuracy.png", "grad_norm.png",
            "sft_metrics.csv", "rl_metrics.csv", "config.json"}) {
            assertTrue(Files.size(a.resolve(f)) > 0, f + " written");
        }
        assertEquals(5, Files.readAllLines(a.resolve("rl_metrics.csv")).size(), "header + 4 RL steps");
        assertTrue(Files.readString(a.resolve("samples.txt")).contains("thought 3:"), "K = 4 thoughts shown");
        MathSettings saved = ConfigJson.read(a.resolve("config.json"), MathSettings.class, MathSettings.defaults());
        assertEquals(16, saved.width(), "config.json holds the run's settings");
        Path rlConfig = a.resolve("checkpoints/rl/step-000004/config.json");
        assertEquals(saved.thoughts(), io.github.dl4jgrpoma.train.GrpoMaConfig.fromJson(Files.readString(rlConfig),
                rlConfig.toString()).rollout().thoughts(), "the final checkpoint holds the RL config");

        assertEquals(0, run(with(with(new String[] {"math"}, common), "--sft-steps", "2", "--rl-steps", "0", "--out",
                b.toString())), err.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(0, run("math", "--resume", "--sft-steps", "3", "--rl-steps", "2", "--out", b.toString()),
                err.toString(StandardCharsets.UTF_8));
        String continued = out.toString(StandardCharsets.UTF_8);
        assertTrue(continued.contains("resuming SFT after step 2"), continued);
        assertFalse(continued.contains("resuming RL"), "RL had no checkpoint, so nothing was resumed: " + continued);
        Path rl = b.resolve("rl_metrics.csv");
        Files.writeString(rl, "rl,3,4,999,0.5\nrl,4,4,10", java.nio.file.StandardOpenOption.APPEND);
        out.reset();
        assertEquals(0, run("math", "--resume", "--rl-steps", "4", "--out", b.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("resuming RL after step 2"), out.toString(StandardCharsets.UTF_8));
        err.reset();
        out.reset();
        assertEquals(2, run("math", "--resume", "--sft-steps", "5", "--out", b.toString()), "RL started from 3 SFT steps");
        String mixed = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, mixed.lines().count(), mixed);
        assertTrue(mixed.contains("--sft-steps 5: the run's RL has started from the policy of its 3 SFT steps")
                && mixed.contains("fix: drop --sft-steps (or give 3)"), mixed);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "refused before any work");
        for (String f : new String[] {"sft_metrics.csv", "rl_metrics.csv"}) {
            assertEquals(rows(a.resolve(f)), rows(b.resolve(f)), f);
        }
        assertEquals(summary(a), summary(b));

        err.reset();
        assertEquals(2, run("math", "--out", b.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("already holds a run") && e.contains("--resume") && e.contains("--overwrite"), e);
        assertEquals(1, e.lines().count(), e);
        assertEquals(4, rows(rl).size(), "untouched");
        err.reset();
        try (RunDirectory held = RunDirectory.open(CliSupport.parse(lockOptions(), new String[] {"--out", b.toString()}),
                "unused", List.of())) {
            assertEquals(2, run("math", "--resume", "--out", b.toString()));
            String locked = err.toString(StandardCharsets.UTF_8);
            assertTrue(locked.contains("is in use by another run") && locked.contains("process "), locked);
        }
        out.reset();
        assertEquals(0, run(with(with(new String[] {"math"}, TINY), "--overwrite", "--sft-steps", "1", "--rl-steps", "1",
                "--out", b.toString())), err.toString(StandardCharsets.UTF_8));
        String one = out.toString(StandardCharsets.UTF_8);
        assertTrue(one.contains("SFT warm-up: 1 step x 4 traces") && one.contains("GRPO-MA (grpo-ma): 1 step x 2 prompts x 4"
                + " thoughts x 4 answers") && one.contains("SFT: 1 step in ") && one.contains("; RL: 1 step in "), one);
        assertEquals(1, rows(rl).size(), "a new run starts its metrics fresh");
        assertEquals(1, rows(b.resolve("sft_metrics.csv")).size());
    }

    private static List<Map<String, String>> rows(Path csv) throws java.io.IOException {
        return MetricsRows.withoutTimes(csv);
    }

    private static List<String> summary(Path dir) throws java.io.IOException {
        return Files.readAllLines(dir.resolve("summary.txt")).stream().filter(l -> !l.startsWith("SFT:")).toList();
    }

    private static org.apache.commons.cli.Options lockOptions() {
        org.apache.commons.cli.Options o = new org.apache.commons.cli.Options();
        RunDirectory.addOptions(o, "unused", "");
        return o;
    }

    @Test
    void badFlagsExitWithUsage() {
        assertEquals(2, run("math", "--estimator", "grpo", "--m", "4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("needs M = 1"));
        assertEquals(2, run("math", "--k", "1", "--m", "1"));
        assertEquals(2, run("math", "--ops", "add,div"));
        assertEquals(2, run("math", "--width", "30", "--heads", "4"));
        assertEquals(2, run("math", "--aggregation", "median"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("sequence-mean"), "lists the known aggregations");
        assertEquals(2, run("study", "--k", "4"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("use --shapes and --seeds"));
        assertEquals(2, run("study", "--shapes", "T4X4"));
        assertEquals(2, run("study", "--variants", "gspo,ppo"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown variant 'ppo'"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("study", "--variants", "gspo", "--shapes", "T4A4"));
        assertEquals(2, run("math", "--scale-rewards", "std"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("use group (default), batch or none"));
        assertEquals(2, run("math", "--importance-ratio", "seq"));
        assertEquals(2, run("math", "--entropy-top", "0"));
    }

    @Test
    void tinyVariantStudyRunsEveryGrpoFamilyVariant(@TempDir Path dir) throws Exception {
        assertEquals(0, run(with(with(new String[] {"study"}, TINY), "--seeds", "1", "--variants", "all",
                "--rl-steps", "1", "--out", dir.toString())), err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("study.md"));
        for (StudyVariant v : StudyVariant.all()) {
            assertTrue(md.contains("| " + v.name() + " | grpo-ma | 16 | 1 |"), v.name() + ":\n" + md);
        }
        String gspo = Files.readString(dir.resolve("seed-1").resolve("gspo").resolve("config.json"));
        assertTrue(gspo.contains("\"importanceRatio\" : \"sequence\"") && gspo.contains("\"epsLow\" : 3.0E-4"), gspo);
        String overlong = Files.readString(dir.resolve("seed-1").resolve("overlong").resolve("rl_metrics.csv"));
        assertTrue(overlong.contains("rewards/overlong/mean"), "the penalty is a reward with its own metric");
        String entropy = Files.readString(dir.resolve("seed-1").resolve("entropy-20").resolve("rl_metrics.csv"));
        assertTrue(entropy.contains("entropy_select/frac"), "the selection is counted");
    }

    @Test
    void tinyStudyWritesTheTable(@TempDir Path dir) throws Exception {
        assertEquals(0, run(with(with(new String[] {"study"}, TINY), "--seeds", "1", "--shapes", "T2A1,T1A2",
                "--eval-every", "1", "--out", dir.toString())), err.toString(StandardCharsets.UTF_8));
        String md = Files.readString(dir.resolve("study.md"));
        assertTrue(md.contains("| T2A1 | grpo | 2 | 1 |"), md);
        assertTrue(md.contains("| T1A2 | grpo-ma | 2 | 1 |"), md);
        assertTrue(Files.size(dir.resolve("study_accuracy.png")) > 0);
        List<String> first = studyLines();
        assertEquals(2, run("study", "--out", dir.toString()), "a folder holding a study needs --resume or --overwrite");
        out.reset();
        assertEquals(0, run("study", "--resume", "--seeds", "1", "--shapes", "T2A1,T1A2", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(first, studyLines(), "resuming a finished study restores every run and reports the same numbers");
    }

    /** The study's per-run lines without their times. */
    private List<String> studyLines() {
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("[study]"))
                .map(l -> l.replaceAll(", RL .*", "")).toList();
    }
}
