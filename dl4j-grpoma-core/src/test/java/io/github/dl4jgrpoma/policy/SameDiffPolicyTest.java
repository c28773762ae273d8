package io.github.dl4jgrpoma.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SameDiffPolicyTest {

    /** A bigram model: logits[b,t,:] = onehot(x[b,t]) · W (causal by construction). */
    private static SameDiff bigram() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.INT32, -1, 4);
        SDVariable w = sd.var("W", Nd4j.createFromArray(new float[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}));
        sd.reshape(sd.reshape(sd.oneHot(x, 3, -1, 1.0, 0.0, DataType.FLOAT), -1, 3).mmul(w), -1, 4, 3).rename("out");
        return sd;
    }

    @Test
    void wrapsAUserGraphAndRoundTripsThroughSave(@TempDir Path dir) throws Exception {
        SameDiffPolicy p = new SameDiffPolicy(bigram(), "x", "out", 3, null);
        assertEquals(4, p.maxLength());
        assertEquals(DataType.FLOAT, p.dataType());
        assertEquals(List.of("W"), p.trainableVariables());
        INDArray logits = p.forward(Nd4j.createFromArray(new int[][] {{2, 0, 1, 1}}));
        assertEquals(6.0, logits.getDouble(0, 0, 0), 0);
        assertEquals(8.0, logits.getDouble(0, 0, 2), 0);
        assertEquals(1.0, logits.getDouble(0, 1, 1), 0);
        assertEquals(5.0, logits.getDouble(0, 3, 2), 0);
        File f = dir.resolve("m.sd").toFile();
        p.save(f);
        SameDiffPolicy q = SameDiffPolicy.load(f, "x", "out", 3);
        assertEquals(logits, q.forward(Nd4j.createFromArray(new int[][] {{2, 0, 1, 1}})));
    }

    @Test
    void rejectsWrongNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SameDiffPolicy(bigram(), "tokens", "out", 3, null));
        assertTrue(e.getMessage().contains("'tokens'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SameDiffPolicy(bigram(), "x", "logits", 3, null));
        assertTrue(e.getMessage().contains("'logits'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SameDiffPolicy(bigram(), "x", "out", 3, List.of("V")));
        assertTrue(e.getMessage().contains("'V'"), e.getMessage());
    }
}
