package io.github.dl4jgrpoma.multimodal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.multimodal.vision.ParameterFactory;
import io.github.dl4jgrpoma.multimodal.vision.VisionEncoder;
import io.github.dl4jgrpoma.multimodal.vision.VisionProjector;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's "plug in your own encoder" code: it builds a policy, decodes, and its gradients check out. */
class CustomEncoderExampleTest {

    /** The README's encoder: 14x14 patches of a 28x56 image, linear + ReLU, 8 tokens of width 16. */
    static VisionEncoder myEncoder() {
        return new VisionEncoder() {
            public String name() { return "patch-relu"; }
            public ImageShape inputShape() { return new ImageShape(1, 28, 56); }
            public int tokens() { return 8; }
            public int tokenWidth() { return 16; }
            public SDVariable encode(SDVariable pixels, ParameterFactory params) {
                SameDiff sd = params.sameDiff();
                SDVariable patches = sd.reshape(sd.permute(sd.reshape(pixels, -1, 1, 2, 14, 4, 14), 0, 2, 4, 1, 3, 5), -1, 196);
                SDVariable w = params.normal("my_w", 0.07, 196, 16);
                SDVariable b = params.zeros("my_b", 16);
                return sd.reshape(sd.nn.relu(patches.mmul(w).add(b), 0), -1, 8, 16);
            }
        };
    }

    @Test
    void readmeEncoderPlugsInAndDecodes() {
        VisionEncoder enc = myEncoder();
        TransformerPolicy policy = VisionLanguagePolicies.create(TransformerConfig.builder().vocabSize(20).width(32)
                .layers(1).heads(2).maxLength(14).build(), enc, 7);
        float[] pixels = new float[28 * 56];
        pixels[100] = 1f;
        Prompt prompt = new Prompt("train-17", "sum?", new int[] {1, 6, 7, 8, 9, 3},
                VisionLanguagePolicies.image(pixels, enc.inputShape(), DataType.FLOAT), Map.of("expected", "10"));
        assertEquals(8, policy.prefixLength());
        assertTrue(policy.trainableVariables().containsAll(List.of("my_w", "my_b", "proj_w", "proj_b")));
        INDArray next = policy.decoder().prefill(new int[][] {prompt.tokens()},
                Map.of("pixels", prompt.conditioning().get("pixels").reshape(1, 1, 28, 56))).nextLogits();
        assertEquals(20, next.size(1));
    }

    @Test
    void readmeEncoderGradientsMatchFiniteDifferences() {
        VisionEncoder enc = myEncoder();
        SameDiff sd = SameDiff.create();
        ParameterFactory params = new ParameterFactory(sd, DataType.DOUBLE, 3);
        SDVariable px = sd.placeHolder("pixels", DataType.DOUBLE, -1, 1, 28, 56);
        SDVariable out = VisionProjector.project(enc.encode(px, params), 8, 16, 4, params);
        sd.math.tanh(out).mul(sd.constant(Nd4j.rand(DataType.DOUBLE, 2, 8, 4).subi(0.5))).sum().rename("loss");
        Nd4j.getRandom().setSeed(2);
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-9, 10, 5L).checkAll(sd,
                Map.of("pixels", Nd4j.rand(DataType.DOUBLE, 2, 1, 28, 56)), "loss");
        assertTrue(r.passed(), r.toString());
        assertEquals(10 + 10 + 10 + 4, r.checked(), "my_w, my_b, proj_w: 10 sampled entries each; proj_b: all 4");
    }
}
