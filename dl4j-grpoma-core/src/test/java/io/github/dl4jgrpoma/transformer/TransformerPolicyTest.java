package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TransformerPolicyTest {

    private static TransformerConfig tiny(DataType dt, long seed) {
        return TransformerConfig.builder().vocabSize(11).width(8).layers(2).heads(2).maxLength(6).dataType(dt)
                .seed(seed).initStd(0.5).build();
    }

    @Test
    void logitsMatchAnIndependentPlainJavaForward() {
        TransformerPolicy p = TransformerPolicy.create(tiny(DataType.DOUBLE, 5));
        int[][] tok = {{1, 5, 7, 7, 2, 10}, {3, 0, 9, 4, 4, 6}};
        INDArray logits = p.forward(Nd4j.createFromArray(tok));
        assertArrayEquals(new long[] {2, 6, 11}, logits.shape());
        ReferenceTransformer ref = new ReferenceTransformer(p);
        for (int b = 0; b < 2; b++) {
            double[][] expected = ref.logits(tok[b]);
            for (int t = 0; t < 6; t++) {
                for (int v = 0; v < 11; v++) {
                    assertEquals(expected[t][v], logits.getDouble(b, t, v), 1e-7, "b=" + b + " t=" + t + " v=" + v);
                }
            }
        }
    }

    @Test
    void logitsAreCausal() {
        TransformerPolicy p = TransformerPolicy.create(tiny(DataType.DOUBLE, 5));
        INDArray a = p.forward(Nd4j.createFromArray(new int[][] {{1, 5, 7, 7, 2, 10}}));
        INDArray b = p.forward(Nd4j.createFromArray(new int[][] {{1, 5, 7, 3, 3, 3}}));
        for (int t = 0; t < 6; t++) {
            double diff = a.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(t))
                    .sub(b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(t)))
                    .amaxNumber().doubleValue();
            if (t < 3) {
                assertEquals(0.0, diff, 1e-12, "position " + t + " must not see later tokens");
            } else {
                assertTrue(diff > 1e-6, "position " + t + " must see its own token");
            }
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsWhateverTheGlobalRandomState() {
        Nd4j.getRandom().setSeed(1);
        TransformerPolicy a = TransformerPolicy.create(tiny(DataType.FLOAT, 7));
        Nd4j.getRandom().setSeed(999);
        Nd4j.rand(3, 3);
        TransformerPolicy b = TransformerPolicy.create(tiny(DataType.FLOAT, 7));
        TransformerPolicy c = TransformerPolicy.create(tiny(DataType.FLOAT, 8));
        for (String n : a.trainableVariables()) {
            assertEquals(a.weight(n), b.weight(n), n);
        }
        assertNotEquals(a.weight("wte"), c.weight("wte"));
        assertEquals(DataType.FLOAT, a.weight("h1_w2").dataType());
        // N(0, 0.5^2) initialisation: wte has 88 entries; its sample std should be near 0.5
        double std = a.weight("h0_w1").castTo(DataType.DOUBLE).stdNumber().doubleValue();
        assertEquals(0.5, std, 0.08);
        assertEquals(1.0, a.weight("h0_ln1_g").minNumber().doubleValue(), 0.0);
        assertEquals(0.0, a.weight("b_head").amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void saveAndLoadGiveIdenticalLogitsAndConfig(@TempDir Path dir) throws IOException {
        TransformerPolicy p = TransformerPolicy.create(tiny(DataType.FLOAT, 11));
        File f = dir.resolve("sub/model.sd").toFile();
        p.save(f);
        TransformerPolicy q = TransformerPolicy.load(f);
        assertEquals(p.config(), q.config());
        assertEquals(p.trainableVariables(), q.trainableVariables());
        INDArray tok = Nd4j.createFromArray(new int[][] {{1, 5, 7, 7, 2, 10}, {3, 0, 9, 4, 4, 6}});
        assertEquals(p.forward(tok), q.forward(tok));
        assertThrows(IOException.class, () -> TransformerPolicy.load(dir.resolve("missing").toFile()));
    }

    @Test
    void invalidConfigsNameTheFieldValueAndFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.builder().vocabSize(11).width(10).layers(1).heads(3).maxLength(6).build());
        assertTrue(e.getMessage().contains("width = 10") && e.getMessage().contains("divisible by heads=3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.builder().vocabSize(11).width(8).layers(0).heads(2).maxLength(6).build());
        assertTrue(e.getMessage().contains("layers = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.builder().vocabSize(11).width(8).layers(1).heads(2).maxLength(6).dataType(DataType.FLOAT16).build());
        assertTrue(e.getMessage().contains("dataType = HALF"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TransformerConfig.builder().vocabSize(11).width(8).layers(1).heads(2).maxLength(6).initStd(0).build());
        assertTrue(e.getMessage().contains("initStd"), e.getMessage());
        TransformerConfig ok = TransformerConfig.builder().vocabSize(11).width(8).layers(1).heads(2).maxLength(6).build();
        assertEquals(4, ok.mlpRatio());
        assertEquals(DataType.FLOAT, ok.dataType());
        assertEquals(0.02, ok.initStd());
        assertEquals(4, ok.headWidth());
        assertEquals(32, ok.mlpWidth());
    }

    @Test
    void forwardRejectsTheWrongLength() {
        TransformerPolicy p = TransformerPolicy.create(tiny(DataType.FLOAT, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.forward(Nd4j.createFromArray(new int[][] {{1, 2, 3}})));
        assertTrue(e.getMessage().contains("[batch, 6]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.weight("nope"));
    }

    @Test
    void aTreePackedRowGivesTheLogitsOfEachSequenceAlone() {
        TransformerPolicy p = TransformerPolicy.create(tiny(DataType.DOUBLE, 5));
        assertTrue(p.supportsPackedRows());
        // sequences [1,5,7 | 7,2,4] and [1,5,7 | 3,3,8] share the trunk [1,5,7]; the row is 9 tokens, T is 6
        int[][] seqs = {{1, 5, 7, 7, 2, 4}, {1, 5, 7, 3, 3, 8}};
        INDArray alone = p.forward(Nd4j.createFromArray(seqs));
        int[] tok = {1, 5, 7, 7, 2, 4, 3, 3, 8};
        int[] pos = {0, 1, 2, 3, 4, 5, 3, 4, 5};
        int[] seqOf = {-1, -1, -1, 0, 0, 0, 1, 1, 1};
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, 1, 9, 9);
        for (int t = 0; t < 9; t++) {
            for (int s = 0; s <= t; s++) {
                if (seqOf[s] == -1 || seqOf[s] == seqOf[t]) {
                    mask.putScalar(new int[] {0, t, s}, 1.0);
                }
            }
        }
        io.github.dl4jgrpoma.policy.PolicyInput in = io.github.dl4jgrpoma.policy.PolicyInput
                .of(Nd4j.createFromArray(new int[][] {tok})).withPositions(Nd4j.createFromArray(new int[][] {pos}))
                .withAttentionMask(mask);
        INDArray packed = p.forward(in);
        assertArrayEquals(new long[] {1, 9, 11}, packed.shape());
        for (int t = 0; t < 9; t++) {
            int seq = Math.max(0, seqOf[t]);
            for (int v = 0; v < 11; v++) {
                assertEquals(alone.getDouble(seq, pos[t], v), packed.getDouble(0, t, v), 1e-12, "t=" + t + " v=" + v);
            }
        }
        // the default position ids and mask reproduce the plain forward exactly
        INDArray tokens = Nd4j.createFromArray(seqs);
        assertEquals(alone, p.forward(io.github.dl4jgrpoma.policy.PolicyInput.of(tokens)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.forward(in.withPositions(
                Nd4j.createFromArray(new int[][] {{0, 1, 2, 3, 4, 5, 6, 7, 8}}))));
        assertTrue(e.getMessage().contains("positions") && e.getMessage().contains("maxLength = 6"), e.getMessage());
    }
}
