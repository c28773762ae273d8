package io.github.dl4jgrpoma.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SeededInitTest {
    @Test
    void sameSeedAndNameGiveTheSameWeightsWhateverTheGlobalGeneratorDid() {
        Nd4j.getRandom().setSeed(123);
        float[] a = new SeededInit(7).normal("w", DataType.FLOAT, 0.3, 4, 5).reshape(-1).toFloatVector();
        Nd4j.randn(DataType.FLOAT, 10, 10); // the global generator moves on
        Nd4j.getRandom().setSeed(999);
        SameDiff sd = SameDiff.create();
        INDArray b = new SeededInit(7).var(sd, "w", DataType.FLOAT, 0.3, 4, 5).getArr();
        assertArrayEquals(a, b.reshape(-1).toFloatVector());
        assertArrayEquals(new long[] {4, 5}, b.shape());
        assertFalse(Arrays.equals(a, new SeededInit(8).normal("w", DataType.FLOAT, 0.3, 4, 5).reshape(-1).toFloatVector()),
                "another seed");
        assertFalse(Arrays.equals(a, new SeededInit(7).normal("v", DataType.FLOAT, 0.3, 4, 5).reshape(-1).toFloatVector()),
                "another variable");
    }

    @Test
    void valuesHaveTheRequestedSpreadAndBadArgumentsAreNamed() {
        INDArray x = new SeededInit(1).normal("big", DataType.DOUBLE, 2.0, 200, 100);
        assertEquals(0.0, x.meanNumber().doubleValue(), 0.05);
        assertEquals(2.0, x.stdNumber().doubleValue(), 0.05);
        assertThrows(IllegalArgumentException.class, () -> new SeededInit(1).normal("w", DataType.FLOAT, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> new SeededInit(1).normal("w", DataType.FLOAT, 1, 0, 2));
    }
}
