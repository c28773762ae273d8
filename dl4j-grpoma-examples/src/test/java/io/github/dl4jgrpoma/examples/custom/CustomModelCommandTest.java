package io.github.dl4jgrpoma.examples.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.examples.MetricsRows;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.TrainingResult;

class CustomModelCommandTest {

    @Test
    void theUsersModelIsCausalAndUsesOnlySafeOps() {
        SameDiff sd = CustomModelCommand.myModel(13, 1);
        assertEquals(List.of(), UnsafeOps.find(sd));
        INDArray a = Nd4j.createFromArray(new int[][] {{1, 5, 3, 6, 7, 4, 8, 9}});
        INDArray b = Nd4j.createFromArray(new int[][] {{1, 5, 3, 6, 9, 9, 9, 9}});
        INDArray la = sd.output(Map.of("tokens", a.castTo(DataType.INT32)), "logits").get("logits");
        INDArray lb = sd.output(Map.of("tokens", b.castTo(DataType.INT32)), "logits").get("logits");
        for (int t = 0; t < 4; t++) {
            assertEquals(la.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(t)),
                    lb.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(t)),
                    "position " + t + " must not see later tokens");
        }
    }

    @Test
    void grpoMaLearnsToRepeatTheLetterOnTheUsersModel() {
        TrainingResult r = CustomModelCommand.train(150, 1);
        assertEquals(150, r.completedSteps());
        assertTrue(r.finalMetrics().get("accuracy") > 0.9, "accuracy " + r.finalMetrics().get("accuracy"));
    }

    @Test
    void theCommandResumesItsRunExactlyAndRefusesToMixRuns(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, cli("custom", "--steps", "5", "--out", a.toString()));
        assertEquals(0, cli("custom", "--steps", "3", "--out", b.toString()));
        assertEquals(2, cli("custom", "--steps", "5", "--out", b.toString()), "b holds a run");
        assertEquals(0, cli("custom", "--resume", "--steps", "5", "--out", b.toString()));
        assertEquals(MetricsRows.withoutTimes(a.resolve("rl_metrics.csv")), MetricsRows.withoutTimes(b.resolve("rl_metrics.csv")));
        assertEquals(5, MetricsRows.withoutTimes(b.resolve("rl_metrics.csv")).size());
        Path cfg = b.resolve("config.json");
        assertEquals(5, GrpoMaConfig.fromJson(Files.readString(cfg), cfg.toString()).steps(), "config.json of the run");
        Path c = dir.resolve("c");
        assertEquals(0, cli("custom", "--config", cfg.toString(), "--steps", "2", "--out", c.toString()));
        GrpoMaConfig fromFile = GrpoMaConfig.fromJson(Files.readString(c.resolve("config.json")), "c");
        assertEquals(GrpoMaConfig.fromJson(Files.readString(cfg), "b").toBuilder().steps(2).build(), fromFile,
                "--config read, --steps overrides it");
    }

    private static int cli(String... args) {
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(sink, true, java.nio.charset.StandardCharsets.UTF_8);
        int rc = io.github.dl4jgrpoma.examples.Main.run(args, ps, ps);
        if (rc != 0) {
            System.err.println(sink.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        return rc;
    }
}
