package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void noArgumentsIsAUsageErrorListingTheCommands() {
        assertEquals(2, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("simulate"));
    }

    @Test
    void unknownCommandAndBadFlagsExitNonZeroWithUsage() {
        assertEquals(2, run("nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'nope'"));
        assertEquals(2, run("simulate", "--no-such-flag"));
        assertEquals(2, run("simulate", "--m", "1,x"));
        assertEquals(2, run("simulate", "--std", "median"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--std must be 'sample' or 'population'"));
    }

    @Test
    void helpPrintsTheOptions() {
        assertEquals(0, run("simulate", "--help"));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("--scenarios") && s.contains("--markdown"), s);
    }

    @Test
    void smallSimulationPrintsTheTableAndItsReading(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("table.md");
        assertEquals(0, run("simulate", "--k", "8,32", "--m", "1,4,16", "--scenarios", "150", "--repetitions", "60",
                "--markdown", md.toString()));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("K=8   variance falls monotonically with M"), s);
        assertTrue(s.contains("K=32  variance falls monotonically with M"), s);
        assertTrue(s.contains("raising K from 8 to 32"), s);
        assertTrue(Files.readString(md).contains("|"), "markdown table written");
    }
}
