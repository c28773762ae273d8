package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;
import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Double-precision finite-difference check of every op of {@link TransformerPolicy}. */
class TransformerPolicyGradientTest {

    @Test
    void everyParameterGradientMatchesFiniteDifferences() {
        TransformerConfig c = TransformerConfig.builder().vocabSize(11).width(8).layers(2).heads(2).maxLength(6)
                .dataType(DataType.DOUBLE).seed(3).initStd(0.5).build();
        TransformerPolicy p = TransformerPolicy.create(c);
        SameDiff sd = p.sameDiff();
        // loss = -mean_{b,t} log softmax(logits[b,t])[target[b,t]], built from SafeOps only
        SDVariable targets = sd.placeHolder("targets", DataType.INT32, -1, 6);
        SDVariable logp = SafeOps.stableLogSoftmax(sd, null, sd.getVariable(p.logitsName()), 2);
        logp.mul(SafeOps.oneHot(sd, targets, 11, DataType.DOUBLE)).sum(2).mean().neg().rename("loss");
        assertEquals(List.of(), UnsafeOps.find(sd));

        int[][] tok = {{1, 5, 7, 7, 2, 10}, {3, 0, 9, 4, 4, 6}};
        int[][] tgt = {{5, 7, 7, 2, 10, 8}, {0, 9, 4, 4, 6, 1}};
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-9, 12, 99L).checkAll(sd,
                Map.of("tokens", Nd4j.createFromArray(tok), "targets", Nd4j.createFromArray(tgt)), "loss");
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
}
