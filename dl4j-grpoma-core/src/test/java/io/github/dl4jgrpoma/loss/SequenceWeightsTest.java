package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;

/**
 * Sequence-mean over rows holding several sequences: with {@link SequenceWeights} the loss equals the plain-Java loss
 * of the same sequences laid out one per row, and its gradient passes finite differences (double precision).
 */
class SequenceWeightsTest {
    private static final int B = 4;
    private static final int T = 7;
    private static final int V = 5;

    @Test
    void perRowWeightsAreOneOverTheTokensOfEachMaskOfTheRow() {
        INDArray th = Nd4j.createFromArray(new double[][] {{0, 1, 1, 0}, {0, 0, 0, 0}});
        INDArray ans = Nd4j.createFromArray(new double[][] {{0, 0, 0, 1}, {1, 1, 1, 1}});
        INDArray w = SequenceWeights.perRow(th, ans);
        assertArrayEquals(new double[] {0, 0.5, 0.5, 1}, w.getRow(0).toDoubleVector(), 0);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, w.getRow(1).toDoubleVector(), 0);
    }

    @Test
    void packedSequenceMeanEqualsOneRowPerSequenceAndPassesFiniteDifferences() {
        LossConfig cfg = LossConfig.builder().beta(0.3).thoughtWeight(0.6).epsHigh(0.28).build();
        LossBatch batch = LossBatch.random(B, T, V, 41);
        batch.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(batch.logits, batch.targets), 42);
        // every row: its thought tokens are one sequence; its answer tokens split into two sequences at t = 4
        double[][] w = new double[B][T];
        LossBatch expanded = new LossBatch(3 * B, T, V);
        expanded.logits = new double[3 * B][][];
        for (int i = 0; i < B; i++) {
            double[][] masks = new double[3][T];
            for (int j = 0; j < T; j++) {
                masks[0][j] = batch.thought[i][j];
                masks[j < 4 ? 1 : 2][j] = batch.answer[i][j];
            }
            for (int s = 0; s < 3; s++) {
                double n = java.util.Arrays.stream(masks[s]).sum();
                int row = 3 * i + s;
                expanded.logits[row] = batch.logits[i];
                for (int j = 0; j < T; j++) {
                    w[i][j] += masks[s][j] / Math.max(1, n);
                    expanded.targets[row][j] = batch.targets[i][j];
                    (s == 0 ? expanded.thought : expanded.answer)[row][j] = masks[s][j];
                    expanded.adv[row][j] = batch.adv[i][j];
                    expanded.old[row][j] = batch.old[i][j];
                    expanded.ref[row][j] = batch.ref[i][j];
                }
            }
        }
        double expected = ReferenceGrpoLoss.compute(expanded, cfg).loss();
        SameDiff sd = SameDiff.create();
        LossGraph g = GrpoLoss.attach(sd, sd.var("logits", batch.logitsArray()), V, cfg, AggregationRegistry.defaults(),
                "grpo_", true);
        assertTrue(g.placeholderNames().contains("grpo_sequence_weights"), g.placeholderNames().toString());
        Map<String, INDArray> feed = g.feed(Nd4j.createFromArray(batch.targets), Nd4j.createFromArray(batch.thought),
                Nd4j.createFromArray(batch.answer), Nd4j.createFromArray(batch.adv), Nd4j.createFromArray(batch.old),
                Nd4j.createFromArray(batch.ref), Nd4j.createFromArray(w));
        double actual = sd.output(feed, g.loss()).get(g.loss()).getDouble(0);
        assertEquals(expected, actual, 1e-12);
        double rowWise = ReferenceGrpoLoss.compute(batch, cfg).loss();
        assertTrue(Math.abs(rowWise - actual) > 1e-3, "splitting answers must change sequence-mean: " + rowWise);

        GradientCheckResult r = new GradientCheck(1e-6, 1e-5, 1e-8, 40, 7).checkAll(sd, feed, g.loss());
        assertTrue(r.passed(), r.toString());
        assertEquals(40, r.checked());
        // the six-argument feed gives per-row weights: the loss of one sequence per mask and row
        Map<String, INDArray> perRow = g.feed(Nd4j.createFromArray(batch.targets), Nd4j.createFromArray(batch.thought),
                Nd4j.createFromArray(batch.answer), Nd4j.createFromArray(batch.adv), Nd4j.createFromArray(batch.old),
                Nd4j.createFromArray(batch.ref));
        assertEquals(rowWise, sd.output(perRow, g.loss()).get(g.loss()).getDouble(0), 1e-12);
    }
}
