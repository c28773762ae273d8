package io.github.dl4jgrpoma.examples.custom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.UnsafeOps;
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
}
