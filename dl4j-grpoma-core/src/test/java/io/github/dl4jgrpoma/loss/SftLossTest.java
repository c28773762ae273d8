package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;
import io.github.dl4jgrpoma.graph.UnsafeOps;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The SFT loss in double precision: its value equals a plain-Java mean NLL over the masked targets computed
 * from the model's logits, its gradient passes finite differences for every parameter of a tiny transformer,
 * and targets at unmasked (prompt / padding) positions have no effect on it.
 */
class SftLossTest {
    private static final Logger LOG = LoggerFactory.getLogger(SftLossTest.class);
    private static final int T = 6;
    private static final int V = 7;

    private static TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(8).layers(1).heads(2).mlpRatio(2)
                .maxLength(T).dataType(DataType.DOUBLE).seed(9).initStd(0.5).build());
    }

    private static final int[][] TOKENS = {{1, 5, 3, 6, 2, 0}, {1, 4, 4, 3, 5, 6}};
    private static final int[][] TARGETS = {{5, 3, 6, 2, 0, 0}, {4, 4, 3, 5, 6, 2}};
    private static final double[][] MASK = {{0, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 1, 1}};

    private static Map<String, INDArray> feed(TransformerPolicy p, SftLoss loss, int[][] targets) {
        Map<String, INDArray> f = new HashMap<>(p.feed(io.github.dl4jgrpoma.policy.PolicyInput.of(
                Nd4j.createFromArray(TOKENS).castTo(DataType.INT32))));
        f.put(loss.targets(), Nd4j.createFromArray(targets).castTo(DataType.INT32));
        f.put(loss.mask(), Nd4j.createFromArray(MASK));
        return f;
    }

    @Test
    void valueMatchesAPlainJavaNllAndAccuracyCountsArgmaxHits() {
        TransformerPolicy p = policy();
        INDArray logits = p.forward(Nd4j.createFromArray(TOKENS).castTo(DataType.INT32));
        SftLoss loss = SftLoss.attach(p.sameDiff(), p.sameDiff().getVariable(p.logitsName()), V, "sft_");
        Map<String, INDArray> out = p.sameDiff().output(feed(p, loss, TARGETS), loss.loss(), loss.tokenAccuracy());
        double nll = 0;
        double hits = 0;
        int n = 0;
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < T; t++) {
                if (MASK[b][t] == 0) {
                    continue;
                }
                double max = Double.NEGATIVE_INFINITY;
                int arg = -1;
                for (int v = 0; v < V; v++) {
                    double x = logits.getDouble(b, t, v);
                    if (x > max) {
                        max = x;
                        arg = v;
                    }
                }
                double sum = 0;
                for (int v = 0; v < V; v++) {
                    sum += Math.exp(logits.getDouble(b, t, v) - max);
                }
                nll -= logits.getDouble(b, t, TARGETS[b][t]) - max - Math.log(sum);
                hits += arg == TARGETS[b][t] ? 1 : 0;
                n++;
            }
        }
        assertEquals(7, n);
        assertEquals(nll / n, out.get(loss.loss()).getDouble(0), 1e-12);
        assertEquals(hits / n, out.get(loss.tokenAccuracy()).getDouble(0), 1e-12);
    }

    @Test
    void gradientPassesFiniteDifferencesAndIgnoresUnmaskedTargets() {
        TransformerPolicy p = policy();
        SftLoss loss = SftLoss.attach(p.sameDiff(), p.sameDiff().getVariable(p.logitsName()), V, "sft_");
        UnsafeOps.requireNone(p.sameDiff(), "policy + SFT loss");
        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-8, 6, 4).checkAll(p.sameDiff(), feed(p, loss, TARGETS),
                loss.loss());
        LOG.info("SFT loss finite differences: {}", r);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.checked() > 80, "checked " + r.checked());

        int[][] otherTargets = {{0, 3, 6, 2, 3, 1}, {2, 1, 3, 5, 6, 2}};   // differs only where MASK = 0
        List<String> vars = p.trainableVariables();
        Map<String, INDArray> g1 = grads(p, feed(p, loss, TARGETS));
        Map<String, INDArray> g2 = grads(p, feed(p, loss, otherTargets));
        double total = 0;
        for (String v : vars) {
            assertEquals(0.0, g1.get(v).sub(g2.get(v)).amaxNumber().doubleValue(), 0, v);
            total += g1.get(v).norm2Number().doubleValue();
        }
        assertTrue(total > 0);
        int[][] maskedChange = {{5, 3, 6, 1, 0, 0}, {4, 4, 3, 5, 6, 2}};     // one masked target differs
        Map<String, INDArray> g3 = grads(p, feed(p, loss, maskedChange));
        assertTrue(g1.get(TransformerPolicy.B_HEAD).sub(g3.get(TransformerPolicy.B_HEAD)).amaxNumber().doubleValue() > 1e-3);
    }

    /** Gradients copied out of SameDiff's session arrays (a later call may reuse them). */
    private static Map<String, INDArray> grads(TransformerPolicy p, Map<String, INDArray> feed) {
        Map<String, INDArray> out = new HashMap<>();
        io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(p.sameDiff());
        p.sameDiff().calculateGradients(feed, p.trainableVariables()).forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }
}
