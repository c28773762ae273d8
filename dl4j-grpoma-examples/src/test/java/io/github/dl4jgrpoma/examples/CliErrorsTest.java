package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User errors of every command: exit status 2, one line naming the option, the value and the fix, no stack
 * trace, and no work done before (issue 10's reproductions); help generated from what each command accepts.
 */
class CliErrorsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Runs, expects status 2 with one line containing every fragment, nothing on stdout. */
    private String usageError(String[] args, String... fragments) {
        assertEquals(2, run(args), String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), "no stack trace: " + e);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "no work done before the error");
        for (String f : fragments) {
            assertTrue(e.contains(f), "'" + f + "' in: " + e);
        }
        return e;
    }

    @Test
    void theIssuesReproductionsExitTwoWithOneLine(@TempDir Path dir) throws Exception {
        usageError(new String[] {"math", "--out", "/proc/x"}, "--out /proc/x", "cannot create the folder", "fix:");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        usageError(new String[] {"math", "--out", file.toString()}, "--out " + file, "existing file", "fix:");
        usageError(new String[] {"simulate", "--k", "1"}, "--k 1", "K >= 2");
        usageError(new String[] {"bench-rollout", "--thought", "100"}, "--thought 100", "--max-length 64", "fix:");
        usageError(new String[] {"simulate", "--markdown", "/proc/x/t.md"}, "--markdown /proc/x/t.md", "fix:");
        usageError(new String[] {"custom", "--out", "/proc/x"}, "--out /proc/x");
        usageError(new String[] {"study", "--out", file.toString()}, "existing file");
    }

    @Test
    void badSettingsNameTheFlagOrTheConfigField(@TempDir Path dir) throws Exception {
        usageError(new String[] {"math", "--k", "0"}, "--k 0", "thoughts", "use 1..64");
        usageError(new String[] {"math", "--lr", "fast"}, "--lr fast", "rlLr", "'fast'", "number");
        usageError(new String[] {"math", "--ops", "add,div"}, "--ops add,div", "unknown operation 'div'");
        usageError(new String[] {"math", "--thought-style", "terse"}, "--thought-style terse", "full or no-carry");
        Path cfg = Files.writeString(dir.resolve("bad.json"), "{\"width\": 64, \"thougths\": 4}");
        usageError(new String[] {"math", "--config", cfg.toString()}, "unknown field 'thougths'", "thoughts");
        Files.writeString(cfg, "{\"task\": {\"minDigits\": \"two\"}}");
        usageError(new String[] {"math", "--config", cfg.toString()}, "task.minDigits", "'two'", "integer");
        Files.writeString(cfg, "{\"rlSteps\": \"60\"}");
        usageError(new String[] {"math", "--config", cfg.toString()}, "field 'rlSteps' = \"60\"", "must be an integer",
                "fix: write 60 without quotes");
        Files.writeString(cfg, "{\"rlSteps\": \"60\"}");
        String e = usageError(new String[] {"math", "--config", cfg.toString(), "--rl-steps", "2", "--k", "0"}, "--k 0");
        assertFalse(e.contains("rlSteps") || e.contains("\"2\""), "the flag overrides the file's quoted value: " + e);
        Files.writeString(cfg, "{\"thougths\": 4}");
        e = usageError(new String[] {"math", "--config", cfg.toString(), "--rl-steps", "2"}, "unknown field 'thougths'");
        assertFalse(e.startsWith("--rl-steps"), "no flag is blamed for a file's unknown field: " + e);
        Files.writeString(cfg, "{\"maskTruncated\": \"true\"}");
        usageError(new String[] {"math", "--config", cfg.toString()}, "'maskTruncated'", "true or false", "without quotes");
        Files.writeString(cfg, "{\"heads\": 5}");
        usageError(new String[] {"math", "--config", cfg.toString()}, "MathSettings.width = 64 with heads = 5",
                "divisible");
        usageError(new String[] {"custom", "--steps", "-1"}, "--steps -1", "GrpoMaConfig.steps");
        usageError(new String[] {"math", "--config", dir.resolve("missing.json").toString()}, "cannot be read");
        usageError(new String[] {"math", "--resume", "--overwrite"}, "exclude each other");
        usageError(new String[] {"math", "--out", ""}, "--out is empty");
        usageError(new String[] {"image", "--lr-schedule", "cosine", "--out", dir.resolve("img").toString()},
                "--lr-schedule cosine", "lrSchedule", "use constant or linear");
    }

    @Test
    void aResumeRefusesChangedSettingsAndUnknownOnesBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path image = Files.createDirectories(dir.resolve("image").resolve("checkpoints"));
        io.github.dl4jgrpoma.config.ConfigJson.write(image.getParent().resolve("config.json"),
                io.github.dl4jgrpoma.examples.image.ImageSettings.defaults());
        String out = image.getParent().toString();
        // the reward's weights and the SFT mistake rate are not in any checkpoint fingerprint: they were accepted
        usageError(new String[] {"image", "--out", out, "--resume", "--format-weight", "0.5"},
                "--format-weight 0.5 (the run has 0.1)", "fix: drop --format-weight");
        usageError(new String[] {"image", "--out", out, "--resume", "--mistake-rate", "0.5", "--lr", "0.001"},
                "--mistake-rate 0.5 (the run has 0.2)", "--lr 0.001 (the run has 0.0002)");
        Path linear = Files.createDirectories(dir.resolve("linear").resolve("checkpoints"));
        io.github.dl4jgrpoma.config.ConfigJson.write(linear.getParent().resolve("config.json"),
                io.github.dl4jgrpoma.examples.image.ImageSettings.defaults().with("lrSchedule", "linear"));
        usageError(new String[] {"image", "--out", linear.getParent().toString(), "--resume", "--rl-steps", "300"},
                "--rl-steps 300 (the run has 60)", "--lr-schedule linear", "cannot be lengthened");
        Path math = Files.createDirectories(dir.resolve("math").resolve("checkpoints"));
        io.github.dl4jgrpoma.config.ConfigJson.write(math.getParent().resolve("config.json"),
                io.github.dl4jgrpoma.examples.math.MathSettings.defaults());
        usageError(new String[] {"math", "--out", math.getParent().toString(), "--resume", "--format-weight", "0.5"},
                "--format-weight 0.5", "fix: drop --format-weight");
        Files.delete(math.getParent().resolve("config.json"));
        usageError(new String[] {"math", "--out", math.getParent().toString(), "--resume"},
                "holds checkpoints but no config.json", "settings are unknown", "fix:");
        Files.delete(image.getParent().resolve("config.json"));
        usageError(new String[] {"image", "--out", out, "--resume"}, "holds checkpoints but no config.json");
    }

    @Test
    void aConfigFileIsReadAndFlagsOverrideIt(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("run.json"), "{\"width\": 24, \"heads\": 3, \"thoughts\": 2}");
        org.apache.commons.cli.CommandLine cl = CliSupport.parse(io.github.dl4jgrpoma.examples.math.MathCommandAccess
                .options(), new String[] {"--config", cfg.toString(), "--k", "3"});
        var s = io.github.dl4jgrpoma.examples.math.MathCommandAccess.settings(cl);
        assertEquals(24, s.width());
        assertEquals(3, s.heads());
        assertEquals(3, s.thoughts(), "the flag wins over the file");
        assertEquals(4, s.answers(), "fields the file leaves out keep their defaults");
        // flags are text, typed by the field they set (the file's quoted numbers are refused, a flag's are not)
        var typed = io.github.dl4jgrpoma.examples.math.MathCommandAccess.settings(CliSupport.parse(
                io.github.dl4jgrpoma.examples.math.MathCommandAccess.options(), new String[] {"--lr", "2e-4", "--seed",
                    "12345678901", "--mask-truncated", "true", "--rl-steps", "60", "--ops", "add,mul", "--beta", "0"}));
        assertEquals(2e-4, typed.rlLr());
        assertEquals(12345678901L, typed.seed());
        assertTrue(typed.maskTruncated());
        assertEquals(60, typed.rlSteps());
        assertEquals(0.0, typed.beta());
    }

    @Test
    void helpListsExactlyWhatEachCommandAccepts() {
        assertEquals(0, run("study", "--help"));
        String study = out.toString(StandardCharsets.UTF_8);
        for (String rejected : List.of("--k ", "--m ", "--estimator", "--seed ")) {
            assertFalse(study.contains(rejected), rejected + " is not a study option but its help lists it:\n" + study);
        }
        assertTrue(study.contains("runs/study") && !study.contains("runs/math"), study);
        assertTrue(study.contains("--seeds") && study.contains("--resume") && study.contains("--config"), study);
        assertEquals(0, run("math", "--help"));
        String math = out.toString(StandardCharsets.UTF_8);
        for (var f : io.github.dl4jgrpoma.examples.math.MathCommandAccess.flags()) {
            assertTrue(math.contains("--" + f.name() + " <"), "--" + f.name() + " documented");
            assertTrue(study.contains("--" + f.name() + " <") != List.of("k", "m", "estimator", "seed").contains(f.name()),
                    "--" + f.name() + " in study's help exactly when study accepts it");
        }
        assertEquals(0, run("bench-rollout", "--help"));
        String bench = out.toString(StandardCharsets.UTF_8);
        assertTrue(bench.contains("model width") && bench.contains("the median is reported"), bench);
        assertFalse(Pattern.compile("--([a-z-]+) <N>\\s+\\1 \\(default").matcher(bench).find(),
                "an option described by its own name:\n" + bench);
        assertEquals(0, run("custom", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--resume"));
    }

    @Test
    void relativeOutputPathsResolveAgainstTheCurrentFolder() throws Exception {
        Path p = CliSupport.outputFile("markdown", "target/rel-test/t.md");
        assertEquals(Path.of(System.getProperty("user.dir")).resolve("target/rel-test/t.md").normalize(), p);
    }
}
