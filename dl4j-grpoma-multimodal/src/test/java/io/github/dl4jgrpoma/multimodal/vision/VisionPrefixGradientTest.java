package io.github.dl4jgrpoma.multimodal.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;
import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Finite-difference check (double) of the whole vision-language graph: patch encoder, projector, the one-hot
 * expansion of the distinct images' keys and values to the rows (two rows share an image), the
 * two-layer transformer over N+T positions (the image positions once per distinct image, the tokens attending to
 * their row's image keys and values), head and a cross-entropy.
 */
class VisionPrefixGradientTest {

    @Test
    void everyParameterOfTheVisionLanguageTransformerMatchesFiniteDifferences() {
        TransformerConfig c = TransformerConfig.builder().vocabSize(7).width(8).layers(2).heads(2).maxLength(4)
                .dataType(DataType.DOUBLE).seed(3).initStd(0.5).build();
        PatchEncoder enc = new PatchEncoder(new ImageShape(1, 4, 4), 2, 6);            // 4 image tokens
        TransformerPolicy p = TransformerPolicy.create(c, new VisionPrefix(enc, 9));
        assertEquals(4, p.prefixLength());
        assertEquals(java.util.Set.of("pixels"), p.conditioningNames());
        SameDiff sd = p.sameDiff();
        SDVariable targets = sd.placeHolder("targets", DataType.INT32, -1, 4);
        SDVariable logp = SafeOps.stableLogSoftmax(sd, null, sd.getVariable(p.logitsName()), 2);
        logp.mul(SafeOps.oneHot(sd, targets, 7, DataType.DOUBLE)).sum(2).mean().neg().rename("loss");
        assertEquals(List.of(), UnsafeOps.find(sd));
        List<String> vars = p.trainableVariables();
        assertEquals(java.util.Set.of("patch_w", "patch_b", "patch_pos", "proj_w", "proj_b"), java.util.Set.copyOf(vars.subList(vars.size() - 5, vars.size())));

        Nd4j.getRandom().setSeed(4);
        INDArray two = Nd4j.rand(DataType.DOUBLE, 2, 1, 4, 4);
        INDArray px = Nd4j.concat(0, two, two.get(NDArrayIndex.interval(0, 1)));   // rows 0 and 2 share an image
        Map<String, INDArray> feed = new HashMap<>(p.feed(PolicyInput.of(Nd4j.createFromArray(
                new int[][] {{1, 5, 3, 6}, {2, 0, 4, 4}, {3, 3, 1, 0}}), Map.of("pixels", px))));
        feed.put("targets", Nd4j.createFromArray(new int[][] {{5, 3, 6, 1}, {0, 4, 4, 2}, {3, 1, 0, 6}}));
        assertEquals(2, feed.get("pixels").size(0), "each distinct image is encoded once");
        INDArray logits = sd.output(feed, p.logitsName()).get(p.logitsName());
        assertEquals(List.of(3L, 4L, 7L), List.of(logits.size(0), logits.size(1), logits.size(2)));
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-9, 6, 7L).checkAll(sd, feed, "loss");
        System.out.println("vision-language transformer gradient check: " + r);
        assertTrue(r.passed(), r.toString());
        int expected = 0;
        for (String n : vars) {
            expected += (int) Math.min(6, sd.getVariable(n).getArr().length());
        }
        assertEquals(expected, r.checked());
    }
}
