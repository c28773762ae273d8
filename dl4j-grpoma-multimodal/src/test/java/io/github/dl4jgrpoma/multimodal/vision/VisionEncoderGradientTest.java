package io.github.dl4jgrpoma.multimodal.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Double-precision finite-difference check of every op of the encoders and the projector:
 * {@code loss = sum(tanh(project(encode(pixels))) * c)} with a fixed random {@code c}, all variables checked.
 */
class VisionEncoderGradientTest {

    @Test
    void cnnEncoderWithProjector() {
        check(new CnnEncoder(new ImageShape(2, 8, 6), 3, 4), List.of("cnn_w0", "cnn_b0", "cnn_w1", "cnn_b1", "proj_w", "proj_b"));
    }

    @Test
    void patchEncoderWithProjector() {
        check(new PatchEncoder(new ImageShape(2, 6, 4), 2, 5), List.of("patch_w", "patch_b", "patch_pos", "proj_w", "proj_b"));
    }

    private static void check(VisionEncoder encoder, List<String> expectedNames) {
        ImageShape s = encoder.inputShape();
        SameDiff sd = SameDiff.create();
        ParameterFactory params = new ParameterFactory(sd, DataType.DOUBLE, 5);
        SDVariable pixels = sd.placeHolder("pixels", DataType.DOUBLE, -1, s.channels(), s.height(), s.width());
        int d = 3;
        SDVariable out = VisionProjector.project(encoder.encode(pixels, params), encoder.tokens(), encoder.tokenWidth(), d, params);
        INDArray c = Nd4j.rand(DataType.DOUBLE, 2, encoder.tokens(), d).subi(0.5);
        sd.math.tanh(out).mul(sd.constant("c", c)).sum().rename("loss");
        assertEquals(List.of(), UnsafeOps.find(sd));
        assertEquals(expectedNames, params.names());

        Nd4j.getRandom().setSeed(11);
        INDArray px = Nd4j.rand(DataType.DOUBLE, 2, s.channels(), s.height(), s.width());
        INDArray tokens = sd.output(Map.of("pixels", px), out.name()).get(out.name());
        assertArrayEquals(new long[] {2, encoder.tokens(), d}, tokens.shape());
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-9, 12, 3L).checkAll(sd, Map.of("pixels", px), "loss");
        System.out.println(encoder + " gradient check: " + r);
        assertTrue(r.passed(), r.toString());
        int expected = 0;
        for (String n : params.names()) {
            expected += (int) Math.min(12, sd.getVariable(n).getArr().length());
        }
        assertEquals(expected, r.checked());
    }
}
