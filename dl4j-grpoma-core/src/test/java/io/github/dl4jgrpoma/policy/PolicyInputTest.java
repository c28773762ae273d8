package io.github.dl4jgrpoma.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PolicyInputTest {

    private static SameDiffPolicy conditioned() {
        SameDiff sd = SameDiff.create();
        SDVariable tokens = sd.placeHolder("tokens", DataType.INT32, -1, 4);
        SDVariable img = sd.placeHolder("pixels", DataType.FLOAT, -1, 1, 2, 2);
        SDVariable w = sd.var("w", Nd4j.linspace(DataType.FLOAT, 1, 15, 1).reshape(3, 5));
        SDVariable fromTokens = sd.reshape(sd.reshape(sd.oneHot(tokens, 3, -1, 1.0, 0.0, DataType.FLOAT), -1, 3).mmul(w), -1, 4, 5);
        fromTokens.add(sd.reshape(img.sum(1, 2, 3), -1, 1, 1)).rename("logits");
        return SameDiffPolicy.builder(sd).tokens("tokens").logits("logits").vocabSize(5).conditioning("pixels").build();
    }

    @Test
    void thePolicyFeedsItsOwnPlaceholdersFromTheInput() {
        SameDiffPolicy p = conditioned();
        assertEquals(java.util.Set.of("pixels"), p.conditioningNames());
        INDArray tokens = Nd4j.createFromArray(new int[][] {{0, 1, 2, 0}, {2, 2, 1, 0}});
        INDArray pixels = Nd4j.createFromArray(new float[] {1, 1, 1, 1, 0, 0, 0, 2}).reshape(2, 1, 2, 2);
        Map<String, INDArray> feed = p.feed(PolicyInput.of(tokens, Map.of("pixels", pixels)));
        assertEquals(java.util.Set.of("tokens", "pixels"), feed.keySet());
        INDArray logits = p.forward(PolicyInput.of(tokens, Map.of("pixels", pixels)));
        // row 0 is shifted by its image's sum (4), row 1 by 2
        assertEquals(1 + 4, logits.getDouble(0, 0, 0), 1e-6);
        assertEquals(11 + 2, logits.getDouble(1, 0, 0), 1e-6);
    }

    @Test
    void inputsThatDoNotMatchTheModelAreRejectedWithTheFix() {
        SameDiffPolicy p = conditioned();
        INDArray tokens = Nd4j.zeros(DataType.INT32, 2, 4);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> p.forward(PolicyInput.of(tokens)));
        assertTrue(missing.getMessage().contains("[pixels]"), missing.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> PolicyInput.of(tokens, Map.of("pixels", Nd4j.zeros(3, 1, 2, 2))));
        assertTrue(rows.getMessage().contains("[batch = 2"), rows.getMessage());
        PolicyInput packed = PolicyInput.of(tokens, Map.of("pixels", Nd4j.zeros(2, 1, 2, 2)))
                .withPositions(Nd4j.zeros(DataType.INT32, 2, 4));
        IllegalArgumentException unsupported = assertThrows(IllegalArgumentException.class, () -> p.feed(packed));
        assertTrue(unsupported.getMessage().contains("position ids"), unsupported.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PolicyInput.of(tokens).withAttentionMask(Nd4j.zeros(2, 4, 3)));
        assertThrows(IllegalArgumentException.class, () -> PolicyInput.of(Nd4j.zeros(DataType.FLOAT, 2, 4)));
        IllegalArgumentException notPlaceholder = assertThrows(IllegalArgumentException.class, () -> SameDiffPolicy
                .builder(p.sameDiff()).tokens("tokens").logits("logits").vocabSize(5).conditioning("w").build());
        assertTrue(notPlaceholder.getMessage().contains("'w' is not a placeholder"), notPlaceholder.getMessage());
    }

    @Test
    void rowsAreSelectedAlongTheBatchDimensionOfEveryArray() {
        INDArray tokens = Nd4j.createFromArray(new int[][] {{1, 1}, {2, 2}, {3, 3}});
        INDArray img = Nd4j.linspace(DataType.FLOAT, 0, 12, 1).reshape(3, 2, 2);
        PolicyInput in = PolicyInput.of(tokens, Map.of("img", img)).withPositions(Nd4j.createFromArray(new int[][] {{0, 1}, {0, 1}, {0, 0}}));
        PolicyInput picked = in.rows(new int[] {2, 0, 2});
        assertArrayEquals(new int[] {3, 1, 3}, picked.tokens().getColumn(0).toIntVector());
        assertArrayEquals(new long[] {3, 2, 2}, picked.conditioning().get("img").shape());
        assertEquals(img.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2)), picked.conditioning().get("img").get(
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
        assertArrayEquals(new int[] {0, 0}, picked.positions().orElseThrow().getRow(0).toIntVector());
        assertThrows(IllegalArgumentException.class, () -> BatchRows.select(img, new int[] {3}));
    }
}
