package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.PackingMode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;
import io.github.dl4jgrpoma.data.Prompt;

/**
 * Packing of a hand-built K=2, M=2 tree: every advantage, mask and old log-prob lands on the position before
 * its token (worked out by hand below), a forced end-of-thought gets nothing, thoughts enter once (row of
 * answer 0) when decoupled, the whole response is in the answer mask when coupled, and dropped prompts
 * produce no rows.
 */
class BatchPackerTest {
    static final Prompt PROMPT = Prompt.ofTokens(1, 7, 3);

    /** Thought 0 = [8, 4] (sampled EOT), thought 1 = [5, 6] truncated, forced 4 appended. */
    static PromptRollout tree(Prompt prompt) {
        ThoughtRollout t0 = new ThoughtRollout(new int[] {8, 4}, new double[] {-0.1, -0.2}, false, new int[] {8, 4},
                List.of(new AnswerRollout(new int[] {9, 2}, new double[] {-0.3, -0.4}, false),
                        new AnswerRollout(new int[] {6}, new double[] {-0.5}, true)));
        ThoughtRollout t1 = new ThoughtRollout(new int[] {5, 6}, new double[] {-0.6, -0.7}, true, new int[] {5, 6, 4},
                List.of(new AnswerRollout(new int[] {7, 2}, new double[] {-0.8, -0.9}, false),
                        new AnswerRollout(new int[] {2}, new double[] {-1.0}, false)));
        return new PromptRollout(prompt, List.of(t0, t1));
    }

    private static Advantages adv(double[] thought, double[][] answers) {
        return new Advantages(thought, answers, new double[thought.length], 0, 0, false, 0, 1);
    }

    static final Advantages ADV = adv(new double[] {0.5, -0.5}, new double[][] {{1.5, -0.5}, {0.25, -1.25}});

    @Test
    void decoupledPutsEveryValueOnThePositionBeforeItsToken() {
        PackedBatch b = new BatchPacker(10, DataType.FLOAT, 0).pack(new RolloutBatch(List.of(tree(PROMPT))),
                List.of(ADV), new boolean[] {true}, PackingMode.DECOUPLED);
        assertEquals(4, b.rows());
        assertArrayEquals(new int[] {0, 0, 1, 1}, b.rowThought());
        assertArrayEquals(new int[] {0, 1, 0, 1}, b.rowAnswer());
        // row 0: seq 1 7 3 | 8 4 | 9 2 ; row 1: 1 7 3 | 8 4 | 6 ; row 2: 1 7 3 | 5 6 (4) | 7 2 ; row 3: 1 7 3 | 5 6 (4) | 2
        assertRows(new int[][] {{1, 7, 3, 8, 4, 9, 2, 0, 0, 0}, {1, 7, 3, 8, 4, 6, 0, 0, 0, 0},
                {1, 7, 3, 5, 6, 4, 7, 2, 0, 0}, {1, 7, 3, 5, 6, 4, 2, 0, 0, 0}}, b.tokens());
        assertRows(new int[][] {{7, 3, 8, 4, 9, 2, 0, 0, 0, 0}, {7, 3, 8, 4, 6, 0, 0, 0, 0, 0},
                {7, 3, 5, 6, 4, 7, 2, 0, 0, 0}, {7, 3, 5, 6, 4, 2, 0, 0, 0, 0}}, b.targets());
        assertRows(new double[][] {
                {0, 0, 1, 1, 0, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},          // the thought enters once: only in the row of answer 0
                {0, 0, 1, 1, 0, 0, 0, 0, 0, 0},          // position 4 (forced end-of-thought) carries nothing
                {0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}, b.thoughtMask());
        assertRows(new double[][] {
                {0, 0, 0, 0, 1, 1, 0, 0, 0, 0},
                {0, 0, 0, 0, 1, 0, 0, 0, 0, 0},
                {0, 0, 0, 0, 0, 1, 1, 0, 0, 0},
                {0, 0, 0, 0, 0, 1, 0, 0, 0, 0}}, b.answerMask());
        assertRows(new double[][] {
                {0, 0, 0.5, 0.5, 1.5, 1.5, 0, 0, 0, 0},
                {0, 0, 0, 0, -0.5, 0, 0, 0, 0, 0},
                {0, 0, -0.5, -0.5, 0, 0.25, 0.25, 0, 0, 0},
                {0, 0, 0, 0, 0, -1.25, 0, 0, 0, 0}}, b.advantages());
        assertRows(new double[][] {
                {0, 0, -0.1, -0.2, -0.3, -0.4, 0, 0, 0, 0},
                {0, 0, 0, 0, -0.5, 0, 0, 0, 0, 0},
                {0, 0, -0.6, -0.7, 0, -0.8, -0.9, 0, 0, 0},
                {0, 0, 0, 0, 0, -1.0, 0, 0, 0, 0}}, b.oldLogProbs());
        assertEquals(4 + 2 + 1 + 2 + 1, b.lossTokens());
        assertEquals(DataType.INT32, b.tokens().dataType());
        assertEquals(DataType.FLOAT, b.advantages().dataType());
    }

    @Test
    void treeRowsHoldEachThoughtOnceWithItsAnswersAsBranches() {
        PackedBatch b = new BatchPacker(10, DataType.DOUBLE, 0).pack(new RolloutBatch(List.of(tree(PROMPT))),
                List.of(ADV), new boolean[] {true}, PackingMode.DECOUPLED, RowPacking.TREE);
        assertEquals(2, b.rows());
        assertArrayEquals(new int[] {0, 1}, b.rowThought());
        assertArrayEquals(new int[] {-1, -1}, b.rowAnswer());
        // row 0: trunk 1 7 3 8 | branch [4 9] (answer 9 2) | branch [4] (answer 6) ; 7 tokens
        // row 1: trunk 1 7 3 5 6 | branch [4 7] (answer 7 2) | branch [4] (answer 2) ; 8 tokens (the longest)
        assertRows(new int[][] {{1, 7, 3, 8, 4, 9, 4, 0}, {1, 7, 3, 5, 6, 4, 7, 4}}, b.tokens());
        assertRows(new int[][] {{7, 3, 8, 4, 9, 2, 6, 0}, {7, 3, 5, 6, 4, 7, 2, 2}}, b.targets());
        assertRows(new int[][] {{0, 1, 2, 3, 4, 5, 4, 0}, {0, 1, 2, 3, 4, 5, 6, 5}}, b.input().positions().orElseThrow());
        assertRows(new double[][] {{0, 0, 1, 1, 0, 0, 0, 0}, {0, 0, 1, 1, 0, 0, 0, 0}}, b.thoughtMask());
        assertRows(new double[][] {{0, 0, 0, 0, 1, 1, 1, 0}, {0, 0, 0, 0, 0, 1, 1, 1}}, b.answerMask());
        assertRows(new double[][] {{0, 0, 0.5, 0.5, 1.5, 1.5, -0.5, 0}, {0, 0, -0.5, -0.5, 0, 0.25, 0.25, -1.25}},
                b.advantages());
        assertRows(new double[][] {{0, 0, -0.1, -0.2, -0.3, -0.4, -0.5, 0}, {0, 0, -0.6, -0.7, 0, -0.8, -0.9, -1.0}},
                b.oldLogProbs());
        assertRows(new double[][] {{0, 0, 0.5, 0.5, 0.5, 0.5, 1, 0}, {0, 0, 0.5, 0.5, 0, 0.5, 0.5, 1}},
                b.sequenceWeights());
        assertEquals(4 + 2 + 1 + 2 + 1, b.lossTokens());
        INDArray mask = b.input().attentionMask().orElseThrow();
        // row 1: trunk 0..4 causal; branch A (5, 6) sees the trunk and itself; branch B (7) the trunk and itself
        double[][] row1 = {
                {1, 0, 0, 0, 0, 0, 0, 0}, {1, 1, 0, 0, 0, 0, 0, 0}, {1, 1, 1, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 0, 0, 0, 0},
                {1, 1, 1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 0, 0, 1}};
        assertRows(row1, mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)));
        // row 0: the padding position 7 sees itself only
        assertEquals(1.0, mask.getDouble(0, 7, 7), 0);
        assertEquals(1.0, mask.sum(2).getDouble(0, 7), 0);
        assertEquals(0.0, mask.getDouble(0, 6, 5), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchPacker(10,
                DataType.DOUBLE, 0).pack(new RolloutBatch(List.of(tree(PROMPT))), List.of(ADV), new boolean[] {true},
                PackingMode.COUPLED, RowPacking.TREE));
        assertTrue(e.getMessage().contains("DECOUPLED"), e.getMessage());
    }

    @Test
    void coupledPutsTheWholeResponseInTheAnswerMaskWithTheAnswerAdvantage() {
        ThoughtRollout t0 = new ThoughtRollout(new int[] {8, 4}, new double[] {-0.1, -0.2}, false, new int[] {8, 4},
                List.of(new AnswerRollout(new int[] {9, 2}, new double[] {-0.3, -0.4}, false)));
        ThoughtRollout t1 = new ThoughtRollout(new int[] {5, 6}, new double[] {-0.6, -0.7}, true, new int[] {5, 6, 4},
                List.of(new AnswerRollout(new int[] {2}, new double[] {-1.0}, false)));
        // thought advantages deliberately differ from the answer ones: COUPLED must use A_ans
        Advantages a = adv(new double[] {0.3, -0.3}, new double[][] {{0.7}, {-0.7}});
        PackedBatch b = new BatchPacker(8, DataType.DOUBLE, 0).pack(
                new RolloutBatch(List.of(new PromptRollout(PROMPT, List.of(t0, t1)))), List.of(a), new boolean[] {true},
                PackingMode.COUPLED);
        assertRows(new double[][] {{0, 0, 0, 0, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 0, 0, 0}}, b.thoughtMask());
        assertRows(new double[][] {{0, 0, 1, 1, 1, 1, 0, 0}, {0, 0, 1, 1, 0, 1, 0, 0}}, b.answerMask());
        assertRows(new double[][] {{0, 0, 0.7, 0.7, 0.7, 0.7, 0, 0}, {0, 0, -0.7, -0.7, 0, -0.7, 0, 0}}, b.advantages());
        assertRows(new double[][] {{0, 0, -0.1, -0.2, -0.3, -0.4, 0, 0}, {0, 0, -0.6, -0.7, 0, -1.0, 0, 0}},
                b.oldLogProbs());
        assertRows(new int[][] {{7, 3, 8, 4, 9, 2, 0, 0}, {7, 3, 5, 6, 4, 2, 0, 0}}, b.targets());
    }

    @Test
    void droppedPromptsGetNoRowsAndTheOthersKeepTheirIndices() {
        Advantages other = adv(new double[] {2, -2}, new double[][] {{3, -3}, {4, -4}});
        PackedBatch b = new BatchPacker(10, DataType.FLOAT, 0).pack(
                new RolloutBatch(List.of(tree(PROMPT), tree(Prompt.ofTokens(1, 9, 3)))), List.of(ADV, other),
                new boolean[] {false, true}, PackingMode.DECOUPLED);
        assertEquals(4, b.rows());
        assertArrayEquals(new int[] {1, 1, 1, 1}, b.rowPrompt());
        assertEquals(9, b.tokens().getInt(0, 1));
        assertEquals(2.0, b.advantages().getDouble(0, 2), 0);
        assertEquals(3.0, b.advantages().getDouble(0, 4), 0);
        assertEquals(-4.0, b.advantages().getDouble(3, 5), 0);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> new BatchPacker(10,
                DataType.FLOAT, 0).pack(new RolloutBatch(List.of(tree(PROMPT))), List.of(ADV), new boolean[] {false},
                PackingMode.DECOUPLED));
        assertTrue(none.getMessage().contains("no prompt is kept"), none.getMessage());
    }

    @Test
    void aSequenceOfExactlyTPlusOneTokensFitsAndALongerOneIsRejected() {
        ThoughtRollout t = new ThoughtRollout(new int[] {8, 4}, new double[] {-0.1, -0.2}, false, new int[] {8, 4},
                List.of(new AnswerRollout(new int[] {9, 2}, new double[] {-0.3, -0.4}, false),
                        new AnswerRollout(new int[] {9}, new double[] {-0.5}, true)));
        RolloutBatch batch = new RolloutBatch(List.of(new PromptRollout(PROMPT, List.of(t))));
        Advantages a = adv(new double[] {0}, new double[][] {{1, -1}});
        PackedBatch b = new BatchPacker(6, DataType.FLOAT, 0).pack(batch, List.of(a), new boolean[] {true},
                PackingMode.DECOUPLED);
        assertRows(new int[][] {{1, 7, 3, 8, 4, 9}, {1, 7, 3, 8, 4, 9}}, b.tokens());
        assertRows(new int[][] {{7, 3, 8, 4, 9, 2}, {7, 3, 8, 4, 9, 0}}, b.targets());
        assertEquals(-0.4, b.oldLogProbs().getDouble(0, 5), 1e-7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchPacker(5,
                DataType.FLOAT, 0).pack(batch, List.of(a), new boolean[] {true}, PackingMode.DECOUPLED));
        assertTrue(e.getMessage().contains("7 tokens, more than T + 1 = 6"), e.getMessage());
    }

    @Test
    void rejectsAutoCoupledWithSeveralAnswersAndMismatchedAdvantages() {
        RolloutBatch batch = new RolloutBatch(List.of(tree(PROMPT)));
        BatchPacker p = new BatchPacker(10, DataType.FLOAT, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.pack(batch, List.of(ADV), new boolean[] {true},
                PackingMode.AUTO)).getMessage().contains("resolve AUTO"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.pack(batch, List.of(ADV), new boolean[] {true},
                PackingMode.COUPLED)).getMessage().contains("M = 2"));
        Advantages wrong = adv(new double[] {1, 2}, new double[][] {{1}, {2}});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> p.pack(batch, List.of(wrong),
                new boolean[] {true}, PackingMode.DECOUPLED)).getMessage().contains("2 x 1 advantages"));
    }

    private static void assertRows(int[][] expected, INDArray actual) {
        assertArrayEquals(new long[] {expected.length, expected[0].length}, actual.shape());
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual.getRow(r).toIntVector(), "row " + r);
        }
    }

    private static void assertRows(double[][] expected, INDArray actual) {
        assertArrayEquals(new long[] {expected.length, expected[0].length}, actual.shape());
        for (int r = 0; r < expected.length; r++) {
            assertArrayEquals(expected[r], actual.getRow(r).toDoubleVector(), 1e-7, "row " + r);
        }
    }
}
