package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BenchRolloutCommandTest {

    @Test
    void tinyBenchmarkPrintsAllModesAndRatios() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"bench-rollout", "--width", "16", "--layers", "1", "--heads", "2",
            "--max-length", "24", "--prompts", "1", "--prompt-length", "4", "--thought", "6", "--answer", "2",
            "--warmup", "0", "--reps", "1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        // T16A1: 16 thoughts x 6 + 16 answers x 2 = 128 sampled tokens in every mode (stop tokens are suppressed)
        assertTrue(s.contains("T16A1 (a) full recompute") && s.contains("   128 tokens"), s);
        // T4A4: 4 x 6 + 16 x 2 = 56
        assertTrue(s.contains("T4A4 (c) KV cache, prefix sharing") && s.contains("    56 tokens"), s);
        assertTrue(s.contains("speed-up over (a)") && s.contains("wall time T4A4 / T16A1"), s);
        // image prefix: without prefix sharing every thought row (4) and answer row (16) encodes the image again
        assertTrue(s.contains("no prefix sharing") && s.contains("encoder: 20 images per rollout of 1 prompts"), s);
        assertTrue(s.contains("encoder: 1 images per rollout of 1 prompts"), s);
        assertTrue(s.contains("image-prefixed / text-only tokens/s"), s);
        assertEquals(2, Main.run(new String[] {"bench-rollout", "--width", "0"}, new PrintStream(out), new PrintStream(err)));
    }
}
