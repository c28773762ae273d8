package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.GradFunctions;
import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * {@link TransformerPass} against the SameDiff graph of {@link TransformerPolicy} (itself checked by finite
 * differences in {@code TransformerPolicyGradientTest}) in double precision, and by its own finite differences: logits
 * and the gradients of {@code sum(logits * r)} for a random {@code r}, on causal rows and on tree-packed rows with
 * position ids and an attention mask.
 */
class TransformerBackpropTest {
    private static final int V = 11;

    private static TransformerPolicy policy(long seed, int maxLength) {
        TransformerPolicy p = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(8).layers(2).heads(2)
                .maxLength(maxLength).dataType(DataType.DOUBLE).seed(seed).initStd(0.5).build());
        SameDiff sd = p.sameDiff();
        sd.getVariable(p.logitsName()).mul(sd.placeHolder("r", DataType.DOUBLE, -1, -1, V)).sum().rename("probe");
        sd.setLossVariables("probe");
        GradFunctions.createQuietly(sd);
        // non-zero biases and gains, so that their gradients and the LayerNorm terms are exercised
        Random rnd = new Random(seed);
        for (String n : p.trainableVariables()) {
            if (n.endsWith("_b") || n.startsWith("b") || n.contains("_b")) {
                p.weight(n).addi(Nd4j.rand(DataType.DOUBLE, p.weight(n).shape()).subi(0.5).muli(0.4));
            }
            if (n.endsWith("_g")) {
                p.weight(n).addi(Nd4j.rand(DataType.DOUBLE, p.weight(n).shape()).subi(0.5).muli(0.6));
            }
        }
        return p;
    }

    /** A random input: causal rows, or tree rows (a trunk and branches that each see the trunk and themselves). */
    private static PolicyInput input(Random rnd, int rows, int length, int maxLength, boolean tree) {
        int[][] tok = new int[rows][length];
        int[][] pos = new int[rows][length];
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, rows, length, length);
        for (int b = 0; b < rows; b++) {
            int trunk = tree ? 1 + rnd.nextInt(length - 1) : length;
            int start = trunk;                                       // first slot of the current branch
            for (int t = 0; t < length; t++) {
                tok[b][t] = rnd.nextInt(V);
                if (t >= trunk && rnd.nextInt(3) == 0 && t > start) {
                    start = t;                                       // a new branch begins here
                }
                pos[b][t] = t < trunk ? t : Math.min(maxLength - 1, trunk + t - start);
                for (int s = 0; s <= t; s++) {
                    boolean visible = s < trunk || s >= start;
                    if (visible) {
                        mask.putScalar(new int[] {b, t, s}, 1.0);
                    }
                }
            }
        }
        PolicyInput in = PolicyInput.of(Nd4j.createFromArray(tok));
        return tree ? in.withPositions(Nd4j.createFromArray(pos)).withAttentionMask(mask) : in;
    }

    @TestFactory
    Stream<DynamicTest> logitsAndGradientsEqualTheSameDiffGraph() {
        return IntStream.range(0, 6).mapToObj(i -> DynamicTest.dynamicTest("seed " + i + (i % 2 == 1 ? " tree rows" : " causal"), () -> {
            Random rnd = new Random(100 + i);
            int maxLength = 7 + rnd.nextInt(4);
            TransformerPolicy p = policy(i, maxLength);
            boolean tree = i % 2 == 1;
            int length = tree ? maxLength + 1 + rnd.nextInt(4) : maxLength;
            PolicyInput in = input(rnd, 1 + rnd.nextInt(3), length, maxLength, tree);
            LogitsBackprop bp = p.logitsBackprop().orElseThrow();
            INDArray logits = bp.logits(in, p.parameters());
            INDArray expectedLogits = p.forward(in);
            assertArrayEquals(expectedLogits.shape(), logits.shape());
            double logitsDiff = logits.sub(expectedLogits).amaxNumber().doubleValue();
            assertTrue(logitsDiff < 1e-10, "logits differ by " + logitsDiff);

            INDArray r = Nd4j.rand(DataType.DOUBLE, expectedLogits.shape()).subi(0.5);
            Map<String, INDArray> feed = new HashMap<>(p.feed(in));
            feed.put("r", r);
            Map<String, INDArray> expected = p.sameDiff().calculateGradients(feed, p.trainableVariables());
            INDArray[] seen = new INDArray[1];
            Map<String, INDArray> actual = bp.gradients(in, p.parameters(), l -> {
                seen[0] = l;
                return r;
            });
            assertEquals(0.0, seen[0].sub(logits).amaxNumber().doubleValue(), 0.0, "the loss sees the pass's logits");
            assertEquals(p.trainableVariables(), List.copyOf(actual.keySet()));
            for (String n : p.trainableVariables()) {
                INDArray e = expected.get(n);
                INDArray a = actual.get(n);
                assertArrayEquals(e.shape(), a.shape(), n);
                double scale = Math.max(1.0, e.amaxNumber().doubleValue());
                double diff = a.sub(e).amaxNumber().doubleValue();
                assertTrue(diff < 1e-9 * scale, n + ": hand-derived gradient differs from SameDiff's by " + diff
                        + " (max |g| " + e.amaxNumber() + ")");
            }
        }));
    }

    /** Central differences of {@code sum(logits * r)} through the hand-written forward pass itself. */
    @Test
    void gradientsMatchFiniteDifferencesOfTheHandWrittenForward() {
        Random rnd = new Random(7);
        TransformerPolicy p = policy(7, 8);
        PolicyInput in = input(rnd, 2, 11, 8, true);
        LogitsBackprop bp = p.logitsBackprop().orElseThrow();
        Map<String, INDArray> weights = new LinkedHashMap<>(p.parameters());
        INDArray r = Nd4j.rand(DataType.DOUBLE, 2, 11, V).subi(0.5);
        Map<String, INDArray> grads = bp.gradients(in, weights, l -> r);
        double eps = 1e-6;
        int checked = 0;
        for (String n : p.trainableVariables()) {
            INDArray w = weights.get(n).reshape(weights.get(n).length());
            for (int k = 0; k < 4; k++) {
                long j = rnd.nextInt((int) w.length());
                double orig = w.getDouble(j);
                w.putScalar(j, orig + eps);
                double up = bp.logits(in, weights).mul(r).sumNumber().doubleValue();
                w.putScalar(j, orig - eps);
                double down = bp.logits(in, weights).mul(r).sumNumber().doubleValue();
                w.putScalar(j, orig);
                double fd = (up - down) / (2 * eps);
                double g = grads.get(n).reshape(grads.get(n).length()).getDouble(j);
                assertEquals(fd, g, 1e-6 * Math.max(1, Math.abs(fd)), n + "[" + j + "]");
                checked++;
            }
        }
        assertEquals(4 * p.trainableVariables().size(), checked);
    }

    @Test
    void badInputsAndMisuseAreRefused() {
        TransformerPolicy p = policy(1, 6);
        LogitsBackprop bp = p.logitsBackprop().orElseThrow();
        IllegalArgumentException tok = assertThrows(IllegalArgumentException.class,
                () -> bp.logits(PolicyInput.of(Nd4j.createFromArray(new int[][] {{1, 2, 11, 0, 0, 0}})), p.parameters()));
        assertTrue(tok.getMessage().contains("token id 11"), tok.getMessage());
        PolicyInput ok = PolicyInput.of(Nd4j.createFromArray(new int[][] {{1, 2, 3, 0, 0, 0}}));
        Map<String, INDArray> missing = new HashMap<>(p.parameters());
        missing.remove("h1_w2");
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class, () -> bp.logits(ok, missing));
        assertTrue(w.getMessage().contains("h1_w2"), w.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> bp.gradients(ok, p.parameters(), l -> Nd4j.zeros(DataType.DOUBLE, 1, 5, V)));
        assertTrue(shape.getMessage().contains("[1, 5, 11]"), shape.getMessage());
        IllegalArgumentException cond = assertThrows(IllegalArgumentException.class, () -> bp.logits(
                PolicyInput.of(ok.tokens(), Map.of("pixels", Nd4j.zeros(DataType.DOUBLE, 1, 4))), p.parameters()));
        assertTrue(cond.getMessage().contains("pixels"), cond.getMessage());
    }

    @Test
    void aModelWithAnEmbeddingPrefixHasNoHandWrittenPass() {
        assertTrue(policy(2, 6).logitsBackprop().isPresent());
        EmbeddingPrefix prefix = new EmbeddingPrefix() {
            @Override
            public int length() {
                return 2;
            }

            @Override
            public org.nd4j.autodiff.samediff.SDVariable build(SameDiff sd, int width, DataType dataType) {
                org.nd4j.autodiff.samediff.SDVariable feats = sd.placeHolder("feats", dataType, -1, 3);
                return sd.reshape(feats.mmul(sd.var("proj", Nd4j.rand(dataType, 3, 2L * width))), -1, 2, width);
            }
        };
        TransformerPolicy withPrefix = TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(8).layers(1)
                .heads(2).maxLength(6).dataType(DataType.DOUBLE).seed(3).build(), prefix);
        assertTrue(withPrefix.logitsBackprop().isEmpty(), "the prefix encoder is SameDiff code: the trainer differentiates the graph");
    }
}
