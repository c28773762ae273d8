package io.github.dl4jgrpoma.multimodal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.multimodal.vision.CnnEncoder;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.multimodal.vision.PatchEncoder;
import io.github.dl4jgrpoma.multimodal.vision.VisionEncoder;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.rollout.DecodingState;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The vision-language policy's KV-cache decoder against its full forward, its encoder-call count in a K x M
 * rollout, and a save/load round trip.
 */
class VisionLanguageDecodingTest {
    private static final ImageShape SHAPE = new ImageShape(1, 8, 12);
    private static final int T = 9;
    private static final int V = 11;
    @TempDir
    Path dir;

    private static TransformerPolicy policy(VisionEncoder encoder) {
        return VisionLanguagePolicies.create(TransformerConfig.builder().vocabSize(V).width(16).layers(2).heads(2)
                .maxLength(T).seed(5).initStd(0.3).build(), encoder, 6);
    }

    private static float[] image(Random r) {
        float[] px = new float[SHAPE.size()];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextFloat();
        }
        return px;
    }

    @Test
    void cachedLogitsEqualTheFullForwardForBothEncoders() {
        for (VisionEncoder enc : List.of(new CnnEncoder(SHAPE, 4, 8), new PatchEncoder(SHAPE, 4, 8))) {
            TransformerPolicy p = policy(enc);
            Random r = new Random(3);
            int[][] seqs = {{1, 5, 7, 3, 9, 4, 6, 2, 8}, {1, 8, 3, 10, 2, 5, 7, 7, 1}, {1, 6, 6, 6, 3, 9, 5, 4, 10}};
            int[] promptLen = {3, 2, 4};                     // rows of different prompt lengths
            int rows = seqs.length;
            INDArray pixels = Nd4j.create(DataType.FLOAT, rows, 1, 8, 12);
            for (int b = 0; b < rows; b++) {
                pixels.get(NDArrayIndex.point(b)).assign(Nd4j.create(image(r), new long[] {1, 8, 12}, 'c'));
            }
            int[][] full = new int[rows][T];
            for (int b = 0; b < rows; b++) {
                System.arraycopy(seqs[b], 0, full[b], 0, seqs[b].length);
            }
            INDArray expected = p.forward(PolicyInput.of(Nd4j.createFromArray(full), Map.of("pixels", pixels)));
            IncrementalDecoder decoder = p.decoder();
            int[][] prefixes = new int[rows][];
            for (int b = 0; b < rows; b++) {
                prefixes[b] = java.util.Arrays.copyOf(seqs[b], promptLen[b]);
            }
            DecodingState state = decoder.prefill(prefixes, Map.of("pixels", pixels));
            double maxDiff = 0;
            int[] pos = promptLen.clone();
            for (int step = 0; step < 4; step++) {
                INDArray logits = state.nextLogits();
                int[] next = new int[rows];
                boolean[] active = new boolean[rows];
                for (int b = 0; b < rows; b++) {
                    INDArray want = expected.get(NDArrayIndex.point(b), NDArrayIndex.point(pos[b] - 1), NDArrayIndex.all());
                    maxDiff = Math.max(maxDiff, logits.getRow(b).sub(want).amaxNumber().doubleValue());
                    next[b] = seqs[b][pos[b]];
                    active[b] = b != 1 || step % 2 == 0;          // row 1 idles every other step
                }
                state.append(next, active);
                for (int b = 0; b < rows; b++) {
                    pos[b] += active[b] ? 1 : 0;
                }
            }
            // a fork continues like the original
            DecodingState fork = state.fork(new int[] {2, 0});
            assertEquals(0, fork.nextLogits().getRow(0).sub(state.nextLogits().getRow(2)).amaxNumber().doubleValue(), 0);
            System.out.println(enc + ": max |cached - full| = " + maxDiff);
            assertTrue(maxDiff < 1e-5, enc + ": max |cached - full| = " + maxDiff);
        }
    }

    @Test
    void theEncoderRunsOncePerPromptInAKxMRollout() {
        TransformerPolicy p = policy(new CnnEncoder(SHAPE, 4, 8));
        Random r = new Random(9);
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            prompts.add(new Prompt("img" + i, "", new int[] {1, 5 + i, 3}, VisionLanguagePolicies.image(image(r), SHAPE,
                    DataType.FLOAT), Map.of()));
        }
        RolloutEngine engine = new RolloutEngine(p.decoder(), RolloutConfig.builder().thoughts(4).answersPerThought(4)
                .maxThoughtTokens(2).maxAnswerTokens(2).endOfThoughtToken(4).answerStopTokens(Set.of(2)).build());
        long before = p.prefixRowsComputed();
        engine.rollout(prompts, 11);
        assertEquals(3, p.prefixRowsComputed() - before, "one image encoding per prompt, not per thought or answer");
        engine.rollout(prompts.subList(0, 2), 12);
        assertEquals(5, p.prefixRowsComputed() - before);
    }

    @Test
    void savedPolicyLoadsWithEncoderAndGivesIdenticalLogits() throws Exception {
        TransformerPolicy p = policy(new PatchEncoder(SHAPE, 4, 8));
        File f = dir.resolve("vl.bin").toFile();
        p.save(f);
        TransformerPolicy q = TransformerPolicy.load(f);
        assertEquals(p.trainableVariables(), q.trainableVariables());
        assertEquals(p.prefixLength(), q.prefixLength());
        assertEquals(Set.of("pixels"), q.conditioningNames());
        assertTrue(q.trainableVariables().containsAll(List.of("patch_w", "patch_pos", "proj_w")));
        INDArray tokens = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9}});
        INDArray px = Nd4j.rand(DataType.FLOAT, 1, 1, 8, 12);
        PolicyInput in = PolicyInput.of(tokens, Map.of("pixels", px));
        assertEquals(p.forward(in), q.forward(in));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.forward(PolicyInput.of(tokens)));
        assertTrue(e.getMessage().contains("pixels"), e.getMessage());
        assertEquals(Conditioning.none(), Conditioning.of(Map.of()));
    }
}
