package io.github.dl4jgrpoma.examples.lstm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jgrpoma.examples.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/grpoma lstm} end to end at a tiny size, and checks that the README shows the code it runs. */
class LstmCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void tinyLstmRunWritesEveryOutput(@TempDir Path dir) throws Exception {
        assertEquals(0, run("lstm", "--hidden", "16", "--sft-steps", "3", "--sft-batch", "4", "--rl-steps", "2", "--k", "2",
                "--m", "2", "--prompts", "2", "--eval-problems", "4", "--eval-samples", "1", "--out", dir.toString()),
                err.toString(StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("held-out greedy accuracy") && s.contains("OOD (3 digits) greedy accuracy"), s);
        for (String f : new String[] {"config.json", "summary.txt", "samples.txt", "reward.png", "accuracy.png",
            "sft_metrics.csv", "rl_metrics.csv", "checkpoints/final.zip", "checkpoints/sft/step-0000003.zip",
            "checkpoints/rl/step-0000002.zip"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f + " written");
        }
        assertEquals(3, Files.readAllLines(dir.resolve("rl_metrics.csv")).size(), "header + 2 RL steps");
        assertEquals(4, Files.readAllLines(dir.resolve("sft_metrics.csv")).size(), "header + 3 SFT steps");
    }

    /**
     * A run cut during SFT (after the step-100 checkpoint) and one cut after RL step 2 continue with --resume exactly as
     * an uninterrupted run: the same loss at every SFT step and the same loss and reward at every RL step.
     */
    @Test
    void aResumedRunContinuesExactlyAndAFolderWithARunIsNotReusedSilently(@TempDir Path dir) throws Exception {
        String[] tiny = {"--hidden", "8", "--sft-steps", "101", "--sft-batch", "2", "--k", "2", "--m", "2", "--prompts", "2",
            "--eval-problems", "2", "--eval-samples", "1"};
        assertEquals(0, run(concat(new String[] {"lstm", "--rl-steps", "4", "--out", dir.resolve("whole").toString()}, tiny)),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(0, run(concat(new String[] {"lstm", "--rl-steps", "2", "--out", dir.resolve("cut").toString()}, tiny)));
        assertEquals(2, run(concat(new String[] {"lstm", "--rl-steps", "4", "--out", dir.resolve("cut").toString()}, tiny)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already holds a run"), err.toString(StandardCharsets.UTF_8));
        copy(dir.resolve("cut"), dir.resolve("cutSft"));
        deleteTree(dir.resolve("cutSft").resolve("checkpoints").resolve("rl"));     // as if killed after SFT step 100
        Files.delete(dir.resolve("cutSft").resolve("checkpoints").resolve("sft").resolve("step-0000101.zip"));
        String savedConfig = Files.readString(dir.resolve("cut").resolve("config.json"));
        err.reset();
        assertEquals(2, run("lstm", "--rl-steps", "4", "--lr", "1e-3", "--resume", "--out", dir.resolve("cut").toString()));
        String refused = err.toString(StandardCharsets.UTF_8);
        assertTrue(refused.contains("--lr 0.001 (the run has "), refused);
        assertTrue(!refused.contains("\tat "), "one line, no stack trace: " + refused);
        assertEquals(savedConfig, Files.readString(dir.resolve("cut").resolve("config.json")), "a refused resume keeps config.json");
        for (String cut : new String[] {"cut", "cutSft"}) {
            assertEquals(0, run("lstm", "--rl-steps", "4", "--resume", "--out", dir.resolve(cut).toString()),
                    err.toString(StandardCharsets.UTF_8));   // the other settings come from the run's config.json
            assertSameColumn(dir.resolve("whole"), dir.resolve(cut), "sft_metrics.csv", "sft/loss", 101);
            assertSameColumn(dir.resolve("whole"), dir.resolve(cut), "rl_metrics.csv", "loss", 4);
            assertSameColumn(dir.resolve("whole"), dir.resolve(cut), "rl_metrics.csv", "reward/mean", 4);
        }
        assertEquals(Files.readString(dir.resolve("whole").resolve("summary.txt")).lines().skip(2).toList(),
                Files.readString(dir.resolve("cutSft").resolve("summary.txt")).lines().skip(2).toList(), "same accuracies");
    }

    private static void assertSameColumn(Path a, Path b, String file, String column, int rows) throws IOException {
        List<String> x = Files.readAllLines(a.resolve(file));
        List<String> y = Files.readAllLines(b.resolve(file));
        assertEquals(rows + 1, y.size(), b + "/" + file + ": header + " + rows + " rows");
        int c = List.of(x.get(0).split(",")).indexOf(column);
        for (int i = 1; i <= rows; i++) {
            assertEquals(x.get(i).split(",")[c], y.get(i).split(",")[c], b + "/" + file + " " + column + " at step " + i);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * A resume with other settings is refused before any work, in one line naming the flags, the given and the saved
     * values and the fix (not the JSON fields); so is a digit range given backwards.
     */
    @Test
    void refusalsNameTheFlagsTheValuesAndTheFix(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("checkpoints"));
        io.github.dl4jgrpoma.config.ConfigJson.write(dir.resolve("config.json"), LstmSettings.defaults());
        err.reset();
        assertEquals(2, run("lstm", "--resume", "--lr", "0.5", "--ops", "add,mul", "--eval-samples", "0", "--out", dir.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("--lr 0.5 (the run has "
                + java.math.BigDecimal.valueOf(LstmSettings.defaults().rlLr()).stripTrailingZeros().toPlainString() + ")"), e);
        assertTrue(e.contains("--ops add,mul (the run has add)"), e);
        assertTrue(e.contains("fix: drop --lr and --ops (or give the run's values) to continue it, or start over with"
                + " --overwrite"), e);
        assertTrue(!e.contains("rlLr") && !e.contains("task.operations") && !e.contains("evalSamples"), e);
        err.reset();
        assertEquals(2, run("lstm", "--min-digits", "3", "--max-digits", "2", "--out", dir.resolve("new").toString()));
        String digits = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, digits.lines().count(), digits);
        assertTrue(digits.contains("--min-digits 3 --max-digits 2: ") && digits.contains("fix:"), digits);
        assertEquals(List.of(), out.toString(StandardCharsets.UTF_8).lines().toList(), "no work done");
    }

    @Test
    void badFlagsExitWithUsage() {
        assertEquals(2, run("lstm", "--k", "1", "--m", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("thoughts x answers"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("lstm", "--ops", "add,div"));
        assertEquals(2, run("lstm", "--hidden", "x"));
    }

    /** The README section "In an existing DL4J pipeline" shows exactly the code between the README markers. */
    @Test
    void readmeShowsTheCodeTheCommandRuns() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path readme = Files.exists(root.resolve("README.md")) ? root.resolve("README.md") : root.getParent().resolve("README.md");
        String text = Files.readString(readme);
        int section = text.indexOf("## In an existing DL4J pipeline");
        assertTrue(section >= 0, "README has the section");
        String readmeSection = text.substring(section);
        Path source = readme.getParent().resolve(
                "dl4j-grpoma-examples/src/main/java/io/github/dl4jgrpoma/examples/lstm/LstmPipeline.java");
        Matcher m = Pattern.compile("// README-BEGIN (\\w+)\\n(.*?)\\n\\s*// README-END", Pattern.DOTALL)
                .matcher(Files.readString(source));
        int blocks = 0;
        while (m.find()) {
            blocks++;
            for (String line : m.group(2).split("\n")) {
                assertTrue(readmeSection.contains(line.strip()), "README lacks the line of " + m.group(1) + ": " + line.strip());
            }
        }
        assertEquals(3, blocks, "network, warmUp and reinforce blocks");
    }
}
