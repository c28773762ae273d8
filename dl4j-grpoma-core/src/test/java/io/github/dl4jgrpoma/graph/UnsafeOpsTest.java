package io.github.dl4jgrpoma.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class UnsafeOpsTest {

    @Test
    void gatherOnWeightsIsReported() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 5, 3));
        SDVariable idx = sd.placeHolder("idx", DataType.INT, -1);
        sd.gather(w, idx, 0).sum().rename("loss");
        List<String> found = UnsafeOps.find(sd);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("sd.gather"), found.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> UnsafeOps.requireNone(sd, "toy"));
        assertTrue(e.getMessage().contains("toy") && e.getMessage().contains("one-hot"), e.getMessage());
    }

    @Test
    void gatherOfPlaceholdersOnlyIsNotReported() {
        SameDiff sd = SameDiff.create();
        SDVariable table = sd.placeHolder("table", DataType.DOUBLE, 5, 3);
        SDVariable idx = sd.placeHolder("idx", DataType.INT, -1);
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 3, 1));
        sd.gather(table, idx, 0).mmul(w).sum().rename("loss");
        assertEquals(List.of(), UnsafeOps.find(sd));
    }

    @Test
    void everyKnownBrokenOpOnATrainablePathIsReported() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 2, 4));
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, 2, 4);
        SDVariable a = sd.math.min(w, x);
        SDVariable b = sd.math.max(a, x);
        SDVariable c = sd.nn.logSoftmax(b);
        SDVariable d = sd.math.logSumExp(c, 1);
        SDVariable labels = sd.placeHolder("labels", DataType.INT, 2);
        SDVariable e = sd.loss.sparseSoftmaxCrossEntropy(b, labels);
        d.sum().add(e.sum()).rename("loss");
        String all = String.join("|", UnsafeOps.find(sd));
        for (String api : List.of("sd.math.min", "sd.math.max", "sd.nn.logSoftmax", "sd.math.logSumExp",
                "sd.loss.sparseSoftmaxCrossEntropy")) {
            assertTrue(all.contains(api), api + " not reported in " + all);
        }
    }

    @Test
    void safeOpsAreNotReported() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.rand(DataType.DOUBLE, 2, 4));
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, 2, 4);
        SDVariable lp = SafeOps.stableLogSoftmax(sd, "lp", SafeOps.max(sd, null, SafeOps.min(sd, null, w, x), x), 1);
        lp.sum().rename("loss");
        assertEquals(List.of(), UnsafeOps.find(sd));
    }
}
