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
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.StudyRun;
import io.github.dl4jgrpoma.examples.math.StudyShape;

/** The code study at a tiny size: every shape starts from its seed's SFT policy, the table has every run. */
class CodeStudyTest {

    static CodeSettings tiny() {
        return CodeSettings.defaults().with("width", 16).with("layers", 1).with("heads", 2).with("sftSteps", 3)
                .with("sftBatch", 4).with("sftTraces", 64).with("rlSteps", 3).with("promptsPerStep", 2)
                .with("evalProblems", 3).with("passK", 2);
    }

    @Test
    void aShapeRunAfterAnotherEqualsItRunAloneAndTheTableListsEveryRun(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<StudyRun> both = CodeStudy.study(tiny(), 1, List.of(StudyShape.parse("T4A1"), StudyShape.parse("T2A2")),
                dir.resolve("both"), false, new RunTimer(), quiet, null);
        List<StudyRun> alone = CodeStudy.study(tiny(), 1, List.of(StudyShape.parse("T2A2")), dir.resolve("alone"), false,
                new RunTimer(), quiet, null);
        assertEquals(2, both.size());
        assertEquals("grpo", both.get(0).estimator());
        assertEquals("grpo-ma", both.get(1).estimator());
        assertEquals(both.get(0).before(), both.get(1).before(), "one SFT start per seed");
        assertEquals(both.get(0).sampledBefore(), both.get(1).sampledBefore(), "one SFT start per seed");
        StudyRun second = both.get(1);
        StudyRun reference = alone.get(0);
        assertEquals(3, reference.rlSteps().size());
        for (int i = 0; i < reference.rlSteps().size(); i++) {
            assertEquals(reference.rlSteps().get(i).metrics().get("loss"), second.rlSteps().get(i).metrics().get("loss"),
                    "T2A2 after T4A1 trains from the restored SFT weights (step " + (i + 1) + ")");
        }
        assertEquals(reference.after(), second.after());
        assertEquals(reference.sampledAfter(), second.sampledAfter());
        String md = Files.readString(dir.resolve("both").resolve("study.md"));
        assertTrue(md.contains("| T4A1 | grpo | 4 | 1 |") && md.contains("| T2A2 | grpo-ma | 4 | 1 |"), md);
        assertTrue(md.contains("greedy accuracy") && md.contains("sampled pass@1"), md);
        assertTrue(Files.size(dir.resolve("both").resolve("study_reward.png")) > 0);
        assertTrue(Files.isRegularFile(dir.resolve("both").resolve("seed-1").resolve("T2A2").resolve("summary.txt")));
    }

    @Test
    void flagsTheStudySetsItselfAreRejectedAndHelpShowsTheStudyBudget() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(2, Main.run(new String[] {"study", "--task", "code", "--m", "4"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--m is not a study option"), err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, Main.run(new String[] {"study", "--task", "code", "--shapes", "T4X4"}, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--shapes"), err.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream help = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"study", "--task=code", "--help"}, new PrintStream(help, true, StandardCharsets.UTF_8), e));
        String h = help.toString(StandardCharsets.UTF_8);
        assertTrue(h.contains("study --task code") && h.contains("SFT warm-up steps (default " + CodeStudy.STUDY_SFT_STEPS + ")")
                && h.contains("--shapes"), h);
    }
}
