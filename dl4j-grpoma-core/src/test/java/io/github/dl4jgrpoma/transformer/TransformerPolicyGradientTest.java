package io.github.dl4jgrpoma.transformer;

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
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Double-precision finite-difference check of every op of {@link TransformerPolicy}. */
class TransformerPolicyGradientTest {

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        TransformerPolicy p = withLoss(3);
        SameDiff sd = p.sameDiff();

        int[][] tok = {{1, 5, 7, 7, 2, 10}, {3, 0, 9, 4, 4, 6}};
        int[][] tgt = {{5, 7, 7, 2, 10, 8}, {0, 9, 4, 4, 6, 1}};
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-9, 12, 99L).checkAll(sd,
                feed(p, PolicyInput.of(Nd4j.createFromArray(tok)), tgt), "loss");
        System.out.println("TransformerPolicy gradient check: " + r);
        assertTrue(r.passed(), r.toString());
        // abs tolerance 1e-9: the key bias has an exactly-zero gradient (softmax shift invariance) and central
        // differences of the loss then read +-2.2e-10 (one ulp / 2 eps).
        // variables with at most 12 entries are checked entirely, larger ones at 12 distinct sampled entries
        int expected = 0;
        for (String n : p.trainableVariables()) {
            expected += (int) Math.min(12, p.weight(n).length());
        }
        assertEquals(expected, r.checked());
        assertEquals(30, p.trainableVariables().size());
    }

    /**
     * The packed-row path: position ids by one-hot x wpe, the additive mask from the attention-mask placeholder and the
     * run-time row reshapes, on a tree row (a trunk and two branches) longer than T.
     */
    @Test
    void packedRowGradientsMatchFiniteDifferences() {
        TransformerPolicy p = withLoss(4);
        SameDiff sd = p.sameDiff();

        // trunk 0..2, branch A at 3..4 and branch B at 5..7 (positions continue from the trunk), one pad at 8
        int[][] tok = {{1, 5, 7, 7, 2, 3, 3, 9, 0}, {2, 4, 6, 8, 10, 1, 3, 5, 7}};
        int[][] tgt = {{5, 7, 7, 2, 10, 3, 9, 4, 0}, {4, 6, 8, 10, 1, 3, 5, 7, 9}};
        int[][] pos = {{0, 1, 2, 3, 4, 3, 4, 5, 0}, {0, 1, 2, 3, 4, 5, 0, 1, 2}};
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 2, 9, 9);
        int[][][] visible = {
                {{0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}, {0, 1, 2, 5}, {0, 1, 2, 5, 6},
                        {0, 1, 2, 5, 6, 7}, {8}},
                {{0}, {0, 1}, {0, 1, 2}, {0, 1, 2, 3}, {0, 1, 2, 3, 4}, {0, 1, 2, 3, 4, 5}, {6}, {6, 7}, {6, 7, 8}}};
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 9; t++) {
                for (int s : visible[b][t]) {
                    mask.putScalar(new int[] {b, t, s}, 1.0);
                }
            }
        }
        PolicyInput in = PolicyInput.of(Nd4j.createFromArray(tok)).withPositions(Nd4j.createFromArray(pos))
                .withAttentionMask(mask);
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-9, 12, 98L).checkAll(sd, feed(p, in, tgt), "loss");
        System.out.println("TransformerPolicy packed-row gradient check: " + r);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.checked() > 200, r.toString());
    }

    /** A tiny double model with {@code loss = -mean_{b,t} log softmax(logits[b,t])[target[b,t]]} from SafeOps only. */
    private static TransformerPolicy withLoss(long seed) {
        TransformerPolicy p = TransformerPolicy.create(TransformerConfig.builder().vocabSize(11).width(8).layers(2).heads(2)
                .maxLength(6).dataType(DataType.DOUBLE).seed(seed).initStd(0.5).build());
        SameDiff sd = p.sameDiff();
        SDVariable targets = sd.placeHolder("targets", DataType.INT32, -1, -1);
        SDVariable logp = SafeOps.stableLogSoftmax(sd, null, sd.getVariable(p.logitsName()), 2);
        logp.mul(SafeOps.oneHot(sd, targets, 11, DataType.DOUBLE)).sum(2).mean().neg().rename("loss");
        assertEquals(List.of(), UnsafeOps.find(sd));
        return p;
    }

    private static Map<String, INDArray> feed(TransformerPolicy p, PolicyInput in, int[][] targets) {
        Map<String, INDArray> f = new HashMap<>(p.feed(in));
        f.put("targets", Nd4j.createFromArray(targets));
        return f;
    }
}
