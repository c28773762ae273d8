package io.github.dl4jgrpoma.examples.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.github.dl4jgrpoma.examples.Main;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image example in-process with a step cap, on generated images (never the MNIST files). */
class ImageExperimentTest {

    static ImageSettings tiny(String task, String encoder) {
        return new ImageSettings(task, encoder, 16, 1, 2, 3, 4, 3e-3, 0.2, 2, 2, 2, 2, 1e-3, "constant", 1.0, "grpo-ma", 0.0, 0.1, 0.2,
                3, 1, 5);
    }

    @Test
    void bothTasksRunEndToEndAndWriteEveryOutput(@TempDir Path dir) throws Exception {
        MnistImages train = ImageTasksTest.generated(Files.createDirectories(dir.resolve("train")), 20);
        MnistImages test = ImageTasksTest.generated(Files.createDirectories(dir.resolve("test")), 10);
        for (ImageSettings s : List.of(tiny(DigitSumTask.NAME, "cnn"), tiny(LocateTask.NAME, "patch"))) {
            Path out = dir.resolve(s.task());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageResult r = ImageExperiment.run(s, out, false, train, test, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                    null);
            assertEquals(2, r.rlSteps().size());
            assertEquals(4.0, r.imagesEncodedPerStep(), "the encoder runs once per prompt per RL step in the rollout and"
                    + " once in the update (2 prompts x 4 answers: 8 packed rows)");
            assertEquals(3, r.before().problems());
            String summary = Files.readString(out.resolve("summary.txt"));
            assertTrue(summary.contains("greedy reading accuracy") && summary.contains("MNIST test split"), summary);
            for (String f : List.of("config.json", "summary.txt", "samples.txt", "reward.png", "grad_norm.png", "sft_metrics.csv",
                    "rl_metrics.csv")) {
                assertTrue(Files.size(out.resolve(f)) > 0, f + " written");
            }
            assertEquals(3, Files.readAllLines(out.resolve("rl_metrics.csv")).size(), "header + 2 RL steps");
            String samples = Files.readString(out.resolve("samples.txt"));
            assertTrue(samples.contains("########") && samples.contains("thought 1:") && samples.contains("answer 1:"), samples);
            try (Stream<Path> ckpts = Files.list(out.resolve("checkpoints").resolve("rl"))) {
                assertTrue(ckpts.anyMatch(p -> p.getFileName().toString().startsWith("step-")), "final checkpoint");
            }
        }
    }

    @Test
    void aResumedRunContinuesExactlyAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        MnistImages train = ImageTasksTest.generated(Files.createDirectories(dir.resolve("train")), 20);
        MnistImages test = ImageTasksTest.generated(Files.createDirectories(dir.resolve("test")), 10);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ImageSettings four = tiny(DigitSumTask.NAME, "cnn").with("rlSteps", 4);
        ImageResult whole = ImageExperiment.run(four, dir.resolve("whole"), false, train, test, quiet, null);
        ImageExperiment.run(tiny(DigitSumTask.NAME, "cnn"), dir.resolve("cut"), false, train, test, quiet, null);
        ImageResult resumed = ImageExperiment.run(four, dir.resolve("cut"), true, train, test, quiet, null);
        assertEquals(4, resumed.rlSteps().size(), "steps 1-2 read back from the metrics file, 3-4 trained");
        for (int i = 0; i < 4; i++) {
            for (String metric : List.of("reward/mean", "loss", "grad_norm")) {
                assertEquals(whole.rlSteps().get(i).metrics().get(metric), resumed.rlSteps().get(i).metrics().get(metric),
                        metric + " at step " + (i + 1));
            }
        }
        assertEquals(whole.after(), resumed.after(), "same test-split evaluation after RL");
        assertEquals(5, Files.readAllLines(dir.resolve("cut").resolve("rl_metrics.csv")).size(), "header + 4 RL steps");
        // a resume of the finished run runs no step: it reports the seconds of the processes that ran the phases
        Files.writeString(dir.resolve("cut").resolve("times.json"), "{\"sftSeconds\": 1234.4, \"rlSeconds\": 567.0}");
        ImageResult again = ImageExperiment.run(four, dir.resolve("cut"), true, train, test, quiet, null);
        assertEquals(1234.4, again.sftSeconds());
        assertEquals(567.0, again.rlSeconds());
        String summary = Files.readString(dir.resolve("cut").resolve("summary.txt"));
        assertTrue(summary.contains("SFT: 3 steps in 1234 s; RL: 4 steps in 567 s"), summary);
    }

    @Test
    void aFolderWithARunIsNotReusedSilently(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("o"));
        Files.writeString(dir.resolve("o").resolve("summary.txt"), "an earlier run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"image", "--data", dir.toString(), "--out", dir.resolve("o").toString()}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("already holds a run"), err.toString(StandardCharsets.UTF_8));
        assertEquals("an earlier run", Files.readString(dir.resolve("o").resolve("summary.txt")));
    }

    @Test
    void missingDataAndBadFlagsExitWithOneLine(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"image", "--data", dir.toString(), "--out", dir.resolve("o").toString()}, o, e));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.startsWith("bin/grpoma image: data file " + dir.resolve("train-images-idx3-ubyte")
                + " is missing; install it with: bash scripts/fetch-mnist.sh"), msg);
        assertTrue(!msg.contains("\tat "), "no stack trace");
        assertEquals(2, Main.run(new String[] {"image", "--task", "count"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--task count") && err.toString(StandardCharsets.UTF_8)
                .contains("use digit-sum or locate"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"image", "--encoder", "rnn"}, o, e));
        assertEquals(2, Main.run(new String[] {"image", "--estimator", "grpo", "--m", "4"}, o, e));
    }
}
