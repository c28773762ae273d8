package io.github.dl4jgrpoma.multimodal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.loss.GrpoLoss;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.multimodal.vision.CnnEncoder;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;
import io.github.dl4jgrpoma.train.StepResult;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The update and the reference forward encode each distinct image of a batch once (one-hot row map), not once per
 * packed row: the GRPO-MA loss and every gradient equal those of encoding every row, and a trainer step's encoder
 * count is one per prompt for the rollout, the reference forward and the update.
 */
class SharedImageUpdateTest {
    private static final ImageShape SHAPE = new ImageShape(1, 8, 8);
    private static final CharTokenizer TOK = new CharTokenizer("0123456789");
    private static final int T = 8;

    private static TransformerPolicy policy(DataType dt) {
        return VisionLanguagePolicies.create(TransformerConfig.builder().vocabSize(TOK.vocabSize()).width(16).layers(2)
                .heads(2).maxLength(T).dataType(dt).seed(5).initStd(0.3).build(), new CnnEncoder(SHAPE, 3, 4), 6);
    }

    private static INDArray images(int n, DataType dt, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, n, 1, 8, 8).castTo(dt);
    }

    @Test
    void lossAndGradientsEqualThoseOfEncodingEveryRow() {
        TransformerPolicy p = policy(DataType.DOUBLE);
        SameDiff sd = p.sameDiff();
        LossGraph loss = GrpoLoss.attach(sd, sd.getVariable(p.logitsName()), p.vocabSize(),
                LossConfig.builder().beta(0.1).build());
        int rows = 7;
        int[] image = {0, 0, 0, 1, 1, 2, 0};                       // three prompts' images, rows not contiguous
        INDArray distinct = images(3, DataType.DOUBLE, 21);
        INDArray perRow = Nd4j.create(DataType.DOUBLE, rows, 1, 8, 8);
        Random r = new Random(4);
        int[][] tokens = new int[rows][T];
        double[][] thought = new double[rows][T];
        double[][] answer = new double[rows][T];
        double[][] adv = new double[rows][T];
        double[][] old = new double[rows][T];
        double[][] ref = new double[rows][T];
        int[][] targets = new int[rows][T];
        for (int b = 0; b < rows; b++) {
            perRow.putSlice(b, distinct.slice(image[b]));
            double a = r.nextGaussian();
            for (int t = 0; t < T; t++) {
                tokens[b][t] = r.nextInt(TOK.vocabSize());
                targets[b][t] = r.nextInt(TOK.vocabSize());
                thought[b][t] = t >= 2 && t < 4 ? 1 : 0;
                answer[b][t] = t >= 4 && t < 4 + b % 3 + 1 ? 1 : 0;
                adv[b][t] = a;
                old[b][t] = -2 + 0.3 * r.nextGaussian();
                ref[b][t] = -2 + 0.3 * r.nextGaussian();
            }
        }
        PolicyInput in = PolicyInput.of(Nd4j.createFromArray(tokens), Map.of("pixels", perRow));
        Map<String, INDArray> shared = new HashMap<>(loss.feed(Nd4j.createFromArray(targets), Nd4j.createFromArray(thought),
                Nd4j.createFromArray(answer), Nd4j.createFromArray(adv), Nd4j.createFromArray(old), Nd4j.createFromArray(ref)));
        Map<String, INDArray> each = new HashMap<>(shared);
        long before = p.prefixRowsComputed();
        shared.putAll(p.feed(in));
        assertEquals(3, p.prefixRowsComputed() - before, "three distinct images among seven rows");
        assertEquals(3, shared.get("pixels").size(0));
        assertEquals(List.of(7L, 3L), List.of(shared.get(TransformerPolicy.PREFIX_ROWS).shape()[0],
                shared.get(TransformerPolicy.PREFIX_ROWS).shape()[1]));
        each.putAll(p.feed(in));
        each.put("pixels", perRow);                                    // the old way: every row encoded on its own
        each.put(TransformerPolicy.PREFIX_ROWS, Nd4j.eye(rows).castTo(DataType.DOUBLE));

        double lossShared = sd.output(shared, loss.loss()).get(loss.loss()).getDouble(0);
        double lossEach = sd.output(each, loss.loss()).get(loss.loss()).getDouble(0);
        assertEquals(lossEach, lossShared, 1e-6);
        Map<String, INDArray> gShared = sd.calculateGradients(shared, p.trainableVariables());
        Map<String, INDArray> gEach = sd.calculateGradients(each, p.trainableVariables());
        double maxDiff = 0;
        double maxGrad = 0;
        for (String v : p.trainableVariables()) {
            maxDiff = Math.max(maxDiff, gShared.get(v).sub(gEach.get(v)).amaxNumber().doubleValue());
            maxGrad = Math.max(maxGrad, gEach.get(v).amaxNumber().doubleValue());
        }
        System.out.println("shared vs per-row image encoding: loss " + lossShared + " vs " + lossEach
                + ", max |gradient difference| " + maxDiff + " (max |gradient| " + maxGrad + ")");
        assertTrue(maxGrad > 1e-3, "the check needs non-zero gradients, max " + maxGrad);
        assertTrue(maxDiff < 1e-6, "max |gradient difference| " + maxDiff);
        assertTrue(gEach.get("cnn_w0").amaxNumber().doubleValue() > 0, "the encoder gets a gradient");
    }

    @Test
    void aTrainerStepEncodesEachImageOncePerPromptForRolloutReferenceAndUpdate() {
        TransformerPolicy p = policy(DataType.FLOAT);
        PromptSource source = (count, rng) -> {                      // a new random image per prompt
            List<Prompt> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                float[] px = new float[SHAPE.size()];
                for (int j = 0; j < px.length; j++) {
                    px[j] = rng.nextFloat();
                }
                out.add(new Prompt("img" + rng.nextLong(), "", new int[] {TOK.bos(), TOK.beginThought()},
                        VisionLanguagePolicies.image(px, SHAPE, DataType.FLOAT), Map.of()));
            }
            return out;
        };
        int k = 2;
        int m = 3;
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(RolloutConfig.builder().thoughts(k).answersPerThought(m)
                        .maxThoughtTokens(2).maxAnswerTokens(2).endOfThoughtToken(TOK.endOfThought())
                        .answerStopTokens(Set.of(TOK.eos())).build())
                .loss(LossConfig.builder().beta(0.05).build()).promptsPerStep(3).steps(2).seed(3).build();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(p).tokenizer(TOK).promptSource(source)
                .reward(CompositeReward.of(RewardFunction.of("first-token", ctx -> ctx.answerTokens().length == 0 ? 0.0
                        : ctx.answerTokens()[0] % 3)))
                .config(config).build();
        for (int s = 0; s < 2; s++) {
            long before = p.prefixRowsComputed();
            StepResult step = trainer.step();
            long encoded = p.prefixRowsComputed() - before;
            int updateRows = (int) Math.round(step.metric("update_tokens") / T);
            int updatePrompts = updateRows / (k * m);                // one row per answer for a prefix model
            System.out.println("step " + s + ": " + encoded + " images encoded for 3 prompts, " + updateRows
                    + " update rows");
            assertTrue(updatePrompts > 0, "the step must update on at least one prompt");
            assertEquals(updatePrompts * k * m, updateRows);
            // rollout: 3 prompts; reference forward and update: one per prompt in the update, not one per row
            assertEquals(3 + 2 * updatePrompts, encoded, "encoder runs once per prompt per pass");
        }
    }
}
