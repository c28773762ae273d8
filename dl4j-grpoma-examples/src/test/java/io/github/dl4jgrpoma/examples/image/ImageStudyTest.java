package io.github.dl4jgrpoma.examples.image;

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
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.StudyRun;
import io.github.dl4jgrpoma.examples.math.StudyShape;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;

/** The image study on generated images: every shape starts from its seed's SFT policy, the table has every run. */
class ImageStudyTest {

    @Test
    void everyShapeStartsFromTheSameSftWeightsAndTheTableListsEveryRun(@TempDir Path dir) throws Exception {
        MnistImages train = ImageTasksTest.generated(Files.createDirectories(dir.resolve("train")), 20);
        MnistImages test = ImageTasksTest.generated(Files.createDirectories(dir.resolve("test")), 10);
        MnistImages[] data = {train, test};
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        ImageSettings base = ImageExperimentTest.tiny(DigitSumTask.NAME, "cnn");
        List<StudyRun> both = ImageStudy.study(base, 1, List.of(StudyShape.parse("T4A1"), StudyShape.parse("T2A2")),
                dir.resolve("both"), false, data, new RunTimer(), quiet, null);
        List<StudyRun> alone = ImageStudy.study(base, 1, List.of(StudyShape.parse("T2A2")), dir.resolve("alone"), false,
                data, new RunTimer(), quiet, null);
        assertEquals(2, both.size());
        assertEquals("grpo", both.get(0).estimator());
        assertEquals(both.get(0).before(), both.get(1).before(), "one SFT start per seed");
        StudyRun second = both.get(1);
        StudyRun reference = alone.get(0);
        assertEquals(reference.after(), second.after(), "T2A2 after T4A1 trains from the restored SFT weights");
        for (int i = 0; i < reference.rlSteps().size(); i++) {
            assertEquals(reference.rlSteps().get(i).metrics().get("loss"), second.rlSteps().get(i).metrics().get("loss"));
        }
        String md = Files.readString(dir.resolve("both").resolve("study.md"));
        assertTrue(md.contains("| T4A1 | grpo | 4 | 1 |") && md.contains("| T2A2 | grpo-ma | 4 | 1 |"), md);
        assertTrue(Files.size(dir.resolve("both").resolve("study_reward.png")) > 0);
    }

    @Test
    void studyFlagsTheStudySetsItselfAreRejected(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"study", "--task", "image", "--k", "4"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--k is not a study option"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"study", "--task", "image", "--image-tasks", "count"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--image-tasks"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, Main.run(new String[] {"study", "--task", "poetry"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--task poetry has no study"), err.toString(StandardCharsets.UTF_8));
        assertEquals(0, Main.run(new String[] {"study", "--task", "image", "--help"}, o, e));
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"study", "--task=image", "--help"}, new PrintStream(help, true, StandardCharsets.UTF_8), e));
        assertTrue(help.toString(StandardCharsets.UTF_8).contains("--image-tasks"), help.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, Main.run(new String[] {"study", "--task", "image", "--image-tasks", "locate", "--data", "/nonexistent",
                "--out", dir.resolve("o").toString()}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is missing; install it with: bash scripts/fetch-mnist.sh"),
                "gets past option parsing to the data: " + err.toString(StandardCharsets.UTF_8));
    }
}
