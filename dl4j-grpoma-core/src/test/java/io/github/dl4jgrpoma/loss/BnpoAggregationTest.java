package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BNPO on hand-computed numbers: one local batch is the loss tokens' weighted mean; two local batches are averaged with
 * equal weights, where token-mean (DAPO) divides by the tokens of both.
 */
class BnpoAggregationTest {
    private static final int V = 4;

    /** Loss of one graph evaluation on-policy (ratio 1, so o = A on every loss token). */
    private static double loss(String aggregation, double[][] th, double[][] ans, double[][] adv) {
        int b = th.length;
        int t = th[0].length;
        SameDiff sd = SameDiff.create();
        double[][][] logits = LossBatch.random(b, t, V, 7).logits;
        SDVariable x = sd.var("logits", Nd4j.createFromArray(logits));
        LossConfig c = LossConfig.builder().aggregation(aggregation).thoughtWeight(0.5).build();
        LossGraph g = GrpoLoss.attach(sd, x, V, c);
        int[][] targets = new int[b][t];
        double[][] old = ReferenceGrpoLoss.tokenLogp(logits, targets);
        Map<String, INDArray> feed = new HashMap<>(g.feed(Nd4j.createFromArray(targets), Nd4j.createFromArray(th),
                Nd4j.createFromArray(ans), Nd4j.createFromArray(adv), Nd4j.createFromArray(old), null));
        return sd.output(feed, g.loss()).get(g.loss()).getDouble(0);
    }

    @Test
    void oneLocalBatchIsTheWeightedMeanOverItsActiveTokens() {
        double[][] th = {{1, 1, 0}, {0, 0, 0}};
        double[][] ans = {{0, 0, 1}, {1, 0, 0}};
        double[][] adv = {{1, 1, -2}, {3, 0, 0}};
        // L = -(0.5 (1 + 1) - 2 + 3) / 4 active tokens = -0.5
        assertEquals(-0.5, loss("bnpo", th, ans, adv), 1e-12);
        assertEquals(loss("token-mean", th, ans, adv), loss("bnpo", th, ans, adv), 1e-12);
    }

    @Test
    void twoLocalBatchesAreAveragedWithEqualWeights() {
        // local batch 1: row 0 above (3 tokens, L1 = -(0.5 * 2 - 2) / 3 = +1/3); local batch 2: row 1 (L2 = -3)
        double l1 = loss("bnpo", new double[][] {{1, 1, 0}}, new double[][] {{0, 0, 1}}, new double[][] {{1, 1, -2}});
        double l2 = loss("bnpo", new double[][] {{0, 0, 0}}, new double[][] {{1, 0, 0}}, new double[][] {{3, 0, 0}});
        assertEquals(1.0 / 3, l1, 1e-12);
        assertEquals(-3.0, l2, 1e-12);
        // BNPO over the step = (L1 + L2) / 2 = -4/3, the UpdateChunks weights 1/2 each; token-mean = -0.5 (3/4, 1/4)
        assertEquals(-4.0 / 3, 0.5 * l1 + 0.5 * l2, 1e-12);
        assertEquals(-0.5, 0.75 * l1 + 0.25 * l2, 1e-12);
    }
}
