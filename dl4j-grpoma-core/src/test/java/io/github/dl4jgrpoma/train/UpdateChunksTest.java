package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.loss.LossConfig;

class UpdateChunksTest {
    private static final int[] PROMPTS = {0, 0, 1, 1, 2, 2};
    private static final double[] THOUGHT = {3, 0, 2, 0, 4, 0};
    private static final double[] ANSWER = {1, 2, 1, 1, 2, 2};

    @Test
    void wholePromptsUpToMaxRowsWithTokenAndRowWeights() {
        List<UpdateChunks.Chunk> c = UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "token-mean", LossConfig.defaults(), 4);
        assertEquals(2, c.size());
        assertEquals(0, c.get(0).start());
        assertEquals(4, c.get(0).end());
        assertEquals(10.0 / 18, c.get(0).lossWeight(), 1e-15);
        assertEquals(10.0 / 18, c.get(0).tokenWeight(), 1e-15);
        List<UpdateChunks.Chunk> s = UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "sequence-mean", LossConfig.defaults(), 2);
        assertEquals(3, s.size());
        assertEquals(1.0 / 3, s.get(1).lossWeight(), 1e-15);
        assertEquals(8.0 / 18, s.get(2).tokenWeight(), 1e-15);
        List<UpdateChunks.Chunk> k = UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "constant", LossConfig.defaults(), 2);
        assertEquals(2.0 / 6, k.get(0).lossWeight(), 1e-15);
        LossConfig fixed = LossConfig.builder().aggregation("constant").constantNormalizer(10).build();
        assertEquals(1.0, UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "constant", fixed, 2).get(2).lossWeight());
    }

    @Test
    void bnpoWeighsEveryChunkEquallyWhereTokenMeanWeighsByTokens() {
        // chunks of 2 rows: loss tokens 6, 4, 8 of 18
        List<UpdateChunks.Chunk> b = UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "bnpo", LossConfig.defaults(), 2);
        List<UpdateChunks.Chunk> t = UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "token-mean", LossConfig.defaults(), 2);
        assertEquals(3, b.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0 / 3, b.get(i).lossWeight(), 1e-15);
            assertEquals(t.get(i).tokenWeight(), b.get(i).tokenWeight(), 1e-15, "metrics stay token means");
        }
        assertEquals(6.0 / 18, t.get(0).lossWeight(), 1e-15);
        assertEquals(4.0 / 18, t.get(1).lossWeight(), 1e-15);
        assertEquals(1, UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "bnpo", LossConfig.defaults(), 6).size());
    }

    @Test
    void oneChunkWhenTheSplitWouldNotBeExactOrIsNotNeeded() {
        // prompt 1 has no thought row: sequence-mean shares of thought and answer rows differ
        double[] thought = {3, 0, 0, 0, 4, 0};
        assertEquals(1, UpdateChunks.plan(PROMPTS, thought, ANSWER, "sequence-mean", LossConfig.defaults(), 2).size());
        assertEquals(1, UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "my-own", LossConfig.defaults(), 2).size());
        assertEquals(1, UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "token-mean", LossConfig.defaults(), 6).size());
        // a single prompt larger than maxRows still forms one chunk
        assertEquals(3, UpdateChunks.plan(PROMPTS, THOUGHT, ANSWER, "token-mean", LossConfig.defaults(), 1).size());
    }
}
