package io.github.dl4jgrpoma.multimodal.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class VisionEncoderForwardTest {

    @Test
    void patchTokensAreRowMajorPatchesFlattenedChannelThenPixel() {
        ImageShape shape = new ImageShape(2, 4, 6);
        PatchEncoder enc = new PatchEncoder(shape, 2, 8);   // 2 x 3 patches of 2*2*2 = 8 values
        SameDiff sd = SameDiff.create();
        ParameterFactory params = new ParameterFactory(sd, DataType.DOUBLE, 1);
        SDVariable tokens = enc.encode(sd.placeHolder("pixels", DataType.DOUBLE, -1, 2, 4, 6), params);
        sd.getVariable("patch_w").setArray(Nd4j.eye(8).castTo(DataType.DOUBLE));     // identity: token = patch
        sd.getVariable("patch_pos").setArray(Nd4j.zeros(DataType.DOUBLE, 6, 8));
        INDArray px = Nd4j.arange(2 * 2 * 4 * 6).castTo(DataType.DOUBLE).reshape(2, 2, 4, 6);
        INDArray out = sd.output(Map.of("pixels", px), tokens.name()).get(tokens.name());
        assertArrayEquals(new long[] {2, 6, 8}, out.shape());
        for (int b = 0; b < 2; b++) {
            for (int gy = 0; gy < 2; gy++) {
                for (int gx = 0; gx < 3; gx++) {
                    int k = 0;
                    for (int c = 0; c < 2; c++) {
                        for (int y = 0; y < 2; y++) {
                            for (int x = 0; x < 2; x++) {
                                assertEquals(px.getDouble(b, c, gy * 2 + y, gx * 2 + x), out.getDouble(b, gy * 3 + gx, k++), 0);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void cnnTokensFollowTheImageGridInRowMajorOrder() {
        CnnEncoder enc = new CnnEncoder(new ImageShape(1, 8, 12), 4, 4);   // grid 2 x 3
        assertEquals(6, enc.tokens());
        SameDiff sd = SameDiff.create();
        SDVariable tokens = enc.encode(sd.placeHolder("pixels", DataType.DOUBLE, -1, 1, 8, 12),
                new ParameterFactory(sd, DataType.DOUBLE, 2));
        Nd4j.getRandom().setSeed(3);
        INDArray px = Nd4j.rand(DataType.DOUBLE, 1, 1, 8, 12);
        INDArray base = sd.output(Map.of("pixels", px), tokens.name()).get(tokens.name()).dup();
        // a change in the bottom-right corner reaches only the last token (receptive field of 2 blocks: 10 px)
        INDArray changed = px.dup();
        changed.get(NDArrayIndex.point(0), NDArrayIndex.point(0), NDArrayIndex.interval(6, 8), NDArrayIndex.interval(9, 12)).addi(5.0);
        INDArray out = sd.output(Map.of("pixels", changed), tokens.name()).get(tokens.name());
        INDArray diff = out.sub(base);
        for (int t = 0; t < 6; t++) {
            double d = diff.get(NDArrayIndex.point(0), NDArrayIndex.point(t), NDArrayIndex.all()).norm2Number().doubleValue();
            if (t == 5) {
                assertTrue(d > 1e-6, "last token must change");
            } else if (t == 0 || t == 3) {
                assertEquals(0, d, 0, "token " + t + " is far from the change");
            }
        }
    }

    @Test
    void badShapesAreRejectedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PatchEncoder(new ImageShape(1, 28, 56), 5, 8));
        assertTrue(e.getMessage().contains("not a whole number of 5x5 patches"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CnnEncoder(new ImageShape(1, 4, 4), 2, 2, 2));
        assertTrue(e.getMessage().contains("use fewer blocks"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ImageShape(0, 4, 4));
        assertTrue(e.getMessage().contains("0x4x4"), e.getMessage());
    }
}
