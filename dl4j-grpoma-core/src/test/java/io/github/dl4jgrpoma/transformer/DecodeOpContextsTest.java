package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reused op contexts of the decoding step against a fresh op per call: the same values (the same kernels) for a
 * sequence of calls whose shapes change between calls (the decoding step's arrays grow by one slot per token and
 * change rows at the fork), softmax along two dimensions in turn, float and double; and the closed state.
 */
class DecodeOpContextsTest {

    @ParameterizedTest
    @CsvSource({"FLOAT", "DOUBLE"})
    void reusedContextsGiveTheFreshOpsValuesAsShapesChange(DataType dt) {
        Nd4j.getRandom().setSeed(5);
        try (DecodeOpContexts ops = new DecodeOpContexts()) {
            int[][] shapes = {{3, 8}, {5, 8}, {5, 16}, {1, 16}, {3, 8}};
            for (int[] shape : shapes) {
                INDArray x = Nd4j.randn(dt, shape[0], shape[1]).muli(3).addi(1);
                INDArray gain = Nd4j.randn(dt, shape[1]);
                INDArray bias = Nd4j.randn(dt, shape[1]);
                INDArray expected = x.ulike();
                Nd4j.exec(new LayerNorm(x, gain, bias, expected, false, 1));
                INDArray got = ops.layerNorm(x, gain, bias);
                assertArrayEquals(expected.shape(), got.shape());
                assertEquals(0.0, got.sub(expected).amaxNumber().doubleValue(), 0.0, "layer norm " + shape[0] + "x" + shape[1]);
                // the values are a layer norm: row means of (got - bias) / gain are 0
                INDArray normalised = got.subRowVector(bias).divRowVector(gain);
                assertEquals(0.0, normalised.mean(1).amaxNumber().doubleValue(), 1e-4);

                for (int dim : new int[] {3, 1, 3}) {
                    INDArray scores = Nd4j.randn(dt, shape[0], 2, 1, shape[1] / 2 + 1);
                    INDArray want = scores.ulike();
                    Nd4j.exec(new SoftMax(scores, want, dim));
                    INDArray probs = scores.ulike();
                    ops.softmax(scores, probs, dim);
                    assertEquals(0.0, probs.sub(want).amaxNumber().doubleValue(), 0.0, "softmax along " + dim);
                    INDArray sums = probs.sum(dim);
                    assertEquals(1.0, sums.minNumber().doubleValue(), 1e-5);
                    assertEquals(1.0, sums.maxNumber().doubleValue(), 1e-5);
                }
            }
        }
    }

    /**
     * libnd4j's op context wraps every array it is given in a native NDArray that it deletes only when purged or
     * destroyed (M2.1; CpuOpContext.close() does nothing, the GC frees the context): a context reused without purging
     * held about 80 bytes per array per call (250,000 softmaxes: +39 MB resident, -4 MB with a purge per call).
     */
    @Test
    void aCallLeavesNoArrayInTheReusedContexts() {
        try (DecodeOpContexts ops = new DecodeOpContexts()) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 8);
            for (int i = 0; i < 3; i++) {
                ops.layerNorm(x, Nd4j.ones(DataType.FLOAT, 8), Nd4j.zeros(DataType.FLOAT, 8));
                assertEquals(0, ops.arraysHeld(), "arrays held after layer norm " + i);
                INDArray probs = x.ulike();
                ops.softmax(x, probs, 1);
                assertEquals(0, ops.arraysHeld(), "arrays held after softmax " + i);
                assertEquals(1.0, probs.sum(1).minNumber().doubleValue(), 1e-5, "the purge came after the result");
            }
        }
    }

    @Test
    void closingAKvCacheStateClosesItsOpContextsAndAForkHasItsOwn() {
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder().vocabSize(8).width(16).layers(1)
                .heads(2).maxLength(8).seed(3).build());
        KvCacheState state = (KvCacheState) new KvCacheDecoder(policy).prefill(new int[][] {{1, 5, 3}, {1, 6}});
        KvCacheState fork = (KvCacheState) state.fork(new int[] {1, 0});
        assertTrue(state.opContexts() != fork.opContexts(), "a fork builds its own op contexts");
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 16);
        INDArray gain = Nd4j.ones(DataType.FLOAT, 16);
        INDArray bias = Nd4j.zeros(DataType.FLOAT, 16);
        state.close();
        assertThrows(IllegalStateException.class, () -> state.opContexts().layerNorm(x, gain, bias),
                "the closed state's op contexts were closed with it");
        fork.append(new int[] {2, 2}, new boolean[] {true, true});
        assertEquals(2, fork.opContexts().layerNorm(x, gain, bias).rows(), "the fork's op contexts stay open");
        fork.close();
        assertThrows(IllegalStateException.class, () -> fork.opContexts().softmax(x, x.ulike(), 1));
    }

    @Test
    void aClosedInstanceRefusesCallsAndClosesTwiceQuietly() {
        DecodeOpContexts ops = new DecodeOpContexts();
        ops.close();
        ops.close();
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 4);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ops.layerNorm(x, Nd4j.ones(DataType.FLOAT, 4), Nd4j.zeros(DataType.FLOAT, 4)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ops.softmax(x, x.ulike(), 1));
    }
}
