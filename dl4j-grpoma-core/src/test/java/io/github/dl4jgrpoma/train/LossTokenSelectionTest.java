package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * The loss-token filters on the hand-built tree of {@link BatchPackerTest} (thought 1 truncated, answer 1 of thought
 * 0 truncated; masks worked out there): truncated sequences leave the loss, and the highest-entropy selection keeps
 * exactly ceil(rho N) tokens.
 */
class LossTokenSelectionTest {
    private static final RolloutBatch TREE = new RolloutBatch(List.of(BatchPackerTest.tree(BatchPackerTest.PROMPT)));

    private static PackedBatch decoupled() {
        return new BatchPacker(10, DataType.DOUBLE, 0).pack(TREE, List.of(BatchPackerTest.ADV), new boolean[] {true},
                PackingMode.DECOUPLED);
    }

    @Test
    void truncatedThoughtsAndAnswersLeaveTheLossDecoupled() {
        Map<String, Double> m = new LinkedHashMap<>();
        PackedBatch b = LossTokenSelection.maskTruncated(decoupled(), TREE, PackingMode.DECOUPLED, m);
        assertArrayEquals(new double[][] {
                {0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},          // thought 1 was truncated
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}, b.thoughtMask().toDoubleMatrix());
        assertArrayEquals(new double[][] {
                {0, 0, 0, 0, 1, 1, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},          // answer 1 of thought 0 was truncated
                {0, 0, 0, 0, 0, 1, 1, 0, 0, 0},          // answers of the truncated thought keep their loss
                {0, 0, 0, 0, 0, 1, 0, 0, 0, 0}}, b.answerMask().toDoubleMatrix());
        // 10 loss tokens before (2 + 2 thought, 2 + 1 + 2 + 1 answer), 3 cleared
        assertEquals(7, b.lossTokens());
        assertEquals(3.0, m.get("masked_truncated/tokens"));
        assertEquals(0.3, m.get("masked_truncated/frac"), 1e-15);
    }

    @Test
    void coupledResponsesLeaveWhollyWhenTheirThoughtOrAnswerWasTruncated() {
        ThoughtRollout ok = new ThoughtRollout(new int[] {8, 4}, new double[] {-0.1, -0.2}, false, new int[] {8, 4},
                List.of(new AnswerRollout(new int[] {9, 2}, new double[] {-0.3, -0.4}, false)));
        ThoughtRollout cut = new ThoughtRollout(new int[] {5, 6}, new double[] {-0.6, -0.7}, true, new int[] {5, 6, 4},
                List.of(new AnswerRollout(new int[] {7, 2}, new double[] {-0.8, -0.9}, false)));
        RolloutBatch batch = new RolloutBatch(List.of(new PromptRollout(BatchPackerTest.PROMPT, List.of(ok, cut))));
        Advantages adv = new Advantages(new double[] {1, -1}, new double[][] {{1}, {-1}}, new double[2], 0, 0, false, 0, 1);
        PackedBatch packed = new BatchPacker(10, DataType.DOUBLE, 0).pack(batch, List.of(adv), new boolean[] {true},
                PackingMode.COUPLED);
        Map<String, Double> m = new LinkedHashMap<>();
        PackedBatch b = LossTokenSelection.maskTruncated(packed, batch, PackingMode.COUPLED, m);
        assertArrayEquals(new double[] {0, 0, 1, 1, 1, 1, 0, 0, 0, 0}, b.answerMask().toDoubleMatrix()[0], 0.0);
        assertArrayEquals(new double[10], b.answerMask().toDoubleMatrix()[1], 0.0);
        assertEquals(4.0, m.get("masked_truncated/tokens"));
    }

    @Test
    void entropySelectionKeepsTheHighestEntropyFractionWithTiesBrokenByPosition() {
        PackedBatch p = decoupled();
        // entropy per position; loss tokens (by the masks above) marked with their value, others 9 (must be ignored)
        double[][] h = {
                {9, 9, 0.5, 2.0, 1.0, 0.1, 9, 9, 9, 9},
                {9, 9, 9, 9, 0.7, 9, 9, 9, 9, 9},
                {9, 9, 1.5, 1.5, 9, 0.2, 0.3, 9, 9, 9},
                {9, 9, 9, 9, 9, 1.5, 9, 9, 9, 9}};
        Map<String, Double> m = new LinkedHashMap<>();
        // 10 loss tokens, rho 0.3 -> keep 3: 2.0 (row 0), then the tie 1.5 at row 2 pos 2, row 2 pos 3 (row 3 loses)
        PackedBatch b = LossTokenSelection.topEntropy(p, Nd4j.createFromArray(h), 0.3, m);
        assertArrayEquals(new double[][] {
                {0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                {0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}, b.thoughtMask().toDoubleMatrix());
        assertEquals(0.0, b.answerMask().sumNumber().doubleValue());
        assertEquals(3, b.lossTokens());
        assertEquals(1.5, m.get("entropy_select/threshold"));
        assertEquals(7.0, m.get("entropy_select/tokens"));
        assertEquals(0.7, m.get("entropy_select/frac"), 1e-15);
        // rho 0.35 -> ceil(3.5) = 4 tokens: the other 1.5 (row 3, an answer token) comes in
        PackedBatch four = LossTokenSelection.topEntropy(p, Nd4j.createFromArray(h), 0.35, new LinkedHashMap<>());
        assertEquals(4, four.lossTokens());
        assertEquals(1.0, four.answerMask().getDouble(3, 5));
        // rho 1 keeps every loss token
        assertEquals(10, LossTokenSelection.topEntropy(p, Nd4j.createFromArray(h), 1.0, new LinkedHashMap<>()).lossTokens());
    }
}
