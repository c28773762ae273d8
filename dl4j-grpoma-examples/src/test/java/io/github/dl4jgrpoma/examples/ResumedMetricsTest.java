package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.dl4jgrpoma.checkpoint.CheckpointException;
import io.github.dl4jgrpoma.listener.StepEvent;

class ResumedMetricsTest {

    @Test
    void keepsTheRowsUpToTheCheckpointAndDropsACutLastRow(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("rl_metrics.csv"),
                "phase,step,prompts,tokens,loss,accuracy\nrl,1,16,100,0.5,0.25\nrl,2,16,100,0.4,\nrl,3,16,100,0.3,0.5\nrl,4,1");
        List<StepEvent> kept = ResumedMetrics.truncateAndRead(csv, 2);
        assertEquals(2, kept.size());
        assertEquals(0.25, kept.get(0).metrics().get("accuracy"));
        assertEquals(List.of("loss"), List.copyOf(kept.get(1).metrics().keySet()), "empty cells are left out");
        assertEquals(3, Files.readAllLines(csv).size(), "header + the 2 kept rows, rewritten");
    }

    @Test
    void aGarbledRowIsAOneLineErrorNamingTheFileAndTheRow(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("rl_metrics.csv"),
                "phase,step,prompts,tokens,loss\nrl,1,16,100,0.5\nrl,2,16,garbage,0.4\n");
        CheckpointException e = assertThrows(CheckpointException.class, () -> ResumedMetrics.truncateAndRead(csv, 5));
        assertTrue(e.getMessage().contains(csv.toString()) && e.getMessage().contains("'rl,2,16,garbage,0.4'")
                && e.getMessage().contains("fix: delete that row"), e.getMessage());
    }
}
