package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.graph.GradientCheck;
import io.github.dl4jgrpoma.graph.GradientCheckResult;

/**
 * Issue 9 item 5: the loss works for sequences of length T = 1 (in M2.1 a SameDiff reduction over a size-1
 * dimension throws a NullPointerException), for every aggregation, with and without the KL term, batch sizes
 * 1 and 3 (rows: thought, answer, fully masked):
 * the value equals the plain-Java reference and the gradient passes finite differences.
 */
class GrpoLossShortSequenceTest {

    /** Rows cycle thought / answer / fully masked (garbage), so every term of every aggregation is present. */
    static LossBatch oneTokenBatch(int b, int v, long seed) {
        Random rnd = new Random(seed);
        LossBatch x = new LossBatch(b, 1, v);
        x.logits = new double[b][1][v];
        for (int i = 0; i < b; i++) {
            for (int k = 0; k < v; k++) {
                x.logits[i][0][k] = 1.5 * rnd.nextGaussian();
            }
            x.thought[i][0] = i % 3 == 0 ? 1 : 0;
            x.answer[i][0] = i % 3 == 1 ? 1 : 0;
            x.targets[i][0] = x.carriesLoss(i, 0) ? rnd.nextInt(v) : -1;
            x.adv[i][0] = x.carriesLoss(i, 0) ? rnd.nextGaussian() : LossBatch.GARBAGE;
        }
        x.perturbOldAndRef(ReferenceGrpoLoss.tokenLogp(x.logits, x.targets), seed + 1);
        return x;
    }

    @Test
    void everyAggregationWorksForLengthOneSequences() {
        GradientCheck check = new GradientCheck(1e-6, 1e-5, 1e-8, 15, 5);
        List<LossConfig> configs = new ArrayList<>();
        for (String mode : List.of("sequence-mean", "token-mean", "constant")) {
            configs.add(LossConfig.builder().aggregation(mode).thoughtWeight(0.7).build());
            configs.add(LossConfig.builder().aggregation(mode).beta(0.3).thoughtWeight(1.5).build());
        }
        int checked = 0;
        for (int b : new int[] {1, 3}) {
            for (LossConfig cfg : configs) {
                LossBatch batch = oneTokenBatch(b, 5, 40 + b);
                SameDiff sd = SameDiff.create();
                SDVariable logits = sd.var("logits", batch.logitsArray());
                LossGraph g = GrpoLoss.attach(sd, logits, batch.v, cfg);
                Map<String, INDArray> feed = batch.feed(g);
                String what = cfg + " B=" + b + " T=1";
                double expected = ReferenceGrpoLoss.compute(batch, cfg).loss();
                double got = sd.output(feed, g.loss()).get(g.loss()).getDouble(0);
                assertEquals(expected, got, 1e-9 * Math.max(1, Math.abs(expected)), what + " loss");
                GradientCheckResult r = check.checkAll(sd, feed, g.loss());
                assertTrue(r.passed(), what + ": " + r);
                checked++;
            }
        }
        assertEquals(12, checked);
    }
}
