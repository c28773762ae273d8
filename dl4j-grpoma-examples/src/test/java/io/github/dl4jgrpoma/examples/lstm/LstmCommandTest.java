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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        for (String f : new String[] {"summary.txt", "samples.txt", "reward.png", "accuracy.png", "rl_metrics.csv",
            "checkpoints/final.zip"}) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f + " written");
        }
        assertEquals(3, Files.readAllLines(dir.resolve("rl_metrics.csv")).size(), "header + 2 RL steps");
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
        assertEquals(2, blocks, "warmUp and reinforce blocks");
    }
}
