package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.loss.AggregationRegistry;
import io.github.dl4jgrpoma.loss.GrpoLoss;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.SameDiffPolicy;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * Tree packing (one row per thought with its M answers) gives the loss and gradients of one-row-per-answer packing, in
 * double precision, with the reference KL on and ratios away from 1.
 */
class TreePackingTest {
    private static final Logger LOG = LoggerFactory.getLogger(TreePackingTest.class);
    private static final int V = 13;
    private static final int T = 14;

    private static TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(V).width(8).layers(2).heads(2).maxLength(T)
                .dataType(DataType.DOUBLE).seed(21).initStd(0.4).build());
    }

    /** Seeded random trees: 3 prompts of 1-3 tokens, K = 2, M = 3, thoughts of 1-4 tokens (some truncated), answers 1-3. */
    private static RolloutBatch batch(Random rnd) {
        List<PromptRollout> prompts = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Prompt prompt = Prompt.ofTokens(ints(rnd, 1 + rnd.nextInt(3)));
            List<ThoughtRollout> thoughts = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                int[] th = ints(rnd, 1 + rnd.nextInt(4));
                boolean truncated = rnd.nextBoolean();
                int[] context = truncated ? java.util.Arrays.copyOf(th, th.length + 1) : th;
                if (truncated) {
                    context[th.length] = 4;                           // a forced end-of-thought
                }
                List<AnswerRollout> answers = new ArrayList<>();
                for (int m = 0; m < 3; m++) {
                    int n = 1 + rnd.nextInt(3);
                    answers.add(new AnswerRollout(ints(rnd, n), logProbs(rnd, n), false));
                }
                thoughts.add(new ThoughtRollout(th, logProbs(rnd, th.length), truncated, context, answers));
            }
            prompts.add(new PromptRollout(prompt, thoughts));
        }
        return new RolloutBatch(prompts);
    }

    private static int[] ints(Random rnd, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rnd.nextInt(V);
        }
        return out;
    }

    private static double[] logProbs(Random rnd, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = -Math.log(V) + rnd.nextGaussian() * 0.3;
        }
        return out;
    }

    private static List<Advantages> advantages(Random rnd) {
        List<Advantages> out = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            double[] th = {rnd.nextGaussian(), rnd.nextGaussian()};
            double[][] ans = new double[2][3];
            for (double[] row : ans) {
                for (int m = 0; m < 3; m++) {
                    row[m] = rnd.nextGaussian();
                }
            }
            out.add(new Advantages(th, ans, new double[2], 0, 0, false, 0, 1));
        }
        return out;
    }

    /** Adds the same seeded noise to every weight, so the policy differs from the reference and the sampling policy. */
    private static void perturb(TransformerPolicy p) {
        Random rnd = new Random(5);
        for (String n : p.trainableVariables()) {
            INDArray w = p.weight(n);
            double[] noise = new double[(int) w.length()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = rnd.nextGaussian() * 0.1;
            }
            w.addi(Nd4j.create(noise, w.shape(), DataType.DOUBLE));
        }
    }

    private record Outcome(double loss, double refKl, double entropy, Map<String, INDArray> gradients, long tokens) {
    }

    private static Outcome evaluate(TransformerPolicy p, LossGraph loss, ReferencePolicy ref, PackedBatch b) {
        INDArray refLogp = ref.tokenLogProbs(p.feed(b.input()), b.targets());
        Map<String, INDArray> feed = new HashMap<>(loss.feed(b.targets(), b.thoughtMask(), b.answerMask(), b.advantages(),
                b.oldLogProbs(), refLogp, b.sequenceWeights()));
        feed.putAll(p.feed(b.input()));
        Map<String, INDArray> out = p.sameDiff().output(feed, loss.loss(), loss.refKl().orElseThrow(), loss.entropy());
        io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(p.sameDiff());
        Map<String, INDArray> grads = p.sameDiff().calculateGradients(feed, p.trainableVariables());
        return new Outcome(out.get(loss.loss()).getDouble(0), out.get(loss.refKl().orElseThrow()).getDouble(0),
                out.get(loss.entropy()).getDouble(0), grads, b.tokens().length());
    }

    @ParameterizedTest
    @CsvSource({"sequence-mean, 0", "token-mean, 0", "constant, 50"})
    void treeRowsGiveTheLossAndGradientsOfOneRowPerAnswer(String aggregation, double constant) {
        Random rnd = new Random(17);
        RolloutBatch batch = batch(rnd);
        List<Advantages> adv = advantages(rnd);
        boolean[] keep = {true, false, true};                            // a dropped prompt too
        LossConfig cfg = LossConfig.builder().beta(0.3).aggregation(aggregation).constantNormalizer(constant)
                .thoughtWeight(0.7).epsHigh(0.28).build();
        TransformerPolicy perAnswer = policy();
        TransformerPolicy tree = policy();
        ReferencePolicy ref = ReferencePolicy.copyOf(perAnswer, 1.0);
        perturb(perAnswer);
        perturb(tree);
        LossGraph rowLoss = GrpoLoss.attach(perAnswer.sameDiff(), perAnswer.sameDiff().getVariable(perAnswer.logitsName()),
                V, cfg, AggregationRegistry.defaults(), "grpo_", false);
        LossGraph treeLoss = GrpoLoss.attach(tree.sameDiff(), tree.sameDiff().getVariable(tree.logitsName()), V, cfg,
                AggregationRegistry.defaults(), "grpo_", true);
        BatchPacker packer = new BatchPacker(T, DataType.DOUBLE, 0);
        Outcome a = evaluate(perAnswer, rowLoss, ref,
                packer.pack(batch, adv, keep, PackingMode.DECOUPLED, RowPacking.PER_ANSWER));
        Outcome b = evaluate(tree, treeLoss, ref, packer.pack(batch, adv, keep, PackingMode.DECOUPLED, RowPacking.TREE));

        assertTrue(Math.abs(a.loss()) > 1e-3 && a.refKl() > 1e-4, "a real loss with a reference KL: " + a);
        assertTrue(b.tokens() < a.tokens(), "tree rows feed fewer tokens: " + b.tokens() + " vs " + a.tokens());
        assertEquals(a.loss(), b.loss(), 1e-6, "loss");
        assertEquals(a.refKl(), b.refKl(), 1e-6, "reference KL");
        assertEquals(a.entropy(), b.entropy(), 1e-6, "entropy");
        double worst = 0;
        double largest = 0;
        for (String n : perAnswer.trainableVariables()) {
            worst = Math.max(worst, a.gradients().get(n).sub(b.gradients().get(n)).amaxNumber().doubleValue());
            largest = Math.max(largest, a.gradients().get(n).amaxNumber().doubleValue());
        }
        LOG.info("{}: loss {} vs {}, max |gradient difference| {} (largest gradient entry {}), tokens {} vs {}",
                aggregation, a.loss(), b.loss(), worst, largest, a.tokens(), b.tokens());
        assertTrue(largest > 1e-3, "a real gradient");
        assertTrue(worst <= 1e-6, "gradients differ by " + worst);
    }

    @Test
    void trainerStepsWithTreeRowsEqualStepsWithOneRowPerAnswer() {
        TransformerPolicy perAnswer = digitPolicy();
        TransformerPolicy tree = digitPolicy();
        List<Map<String, Double>> ma = steps(perAnswer, RowPacking.PER_ANSWER);
        List<Map<String, Double>> mb = steps(tree, RowPacking.TREE);
        for (int s = 0; s < 2; s++) {
            for (String k : List.of("loss", "kl", "approx_kl", "entropy", "ratio/mean", "grad_norm")) {
                double x = ma.get(s).get(k);
                assertEquals(x, mb.get(s).get(k), 1e-9 * Math.max(1, Math.abs(x)), "step " + s + " " + k);
            }
            assertTrue(mb.get(s).get("update_tokens") < ma.get(s).get("update_tokens"), mb.get(s).toString());
        }
        for (String n : perAnswer.trainableVariables()) {
            double d = perAnswer.weight(n).sub(tree.weight(n)).amaxNumber().doubleValue();
            assertTrue(d < 1e-9, n + " differs by " + d);
        }
    }

    private static TransformerPolicy digitPolicy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(Tiny.TOKENIZER.vocabSize()).width(16)
                .layers(1).heads(2).maxLength(10).seed(3).initStd(0.3).dataType(DataType.DOUBLE).build());
    }

    private static List<Map<String, Double>> steps(TransformerPolicy policy, RowPacking rows) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 3, 3, 3).build()).promptsPerStep(3)
                .innerEpochs(2).seed(11).optimizer(OptimizerConfig.defaults().withLearningRate(1e-2))
                .loss(LossConfig.builder().beta(0.04).build()).build();
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(config).rowPacking(rows).updateChunkTokens(20).build();
        assertEquals(rows, t.rowPacking());
        List<Map<String, Double>> out = new ArrayList<>();
        out.add(t.step().metrics());
        out.add(t.step().metrics());
        return out;
    }

    @Test
    void autoPicksTreeRowsOnlyWhereTheyAreExact() {
        TransformerPolicy transformer = Tiny.policy(10, 3);
        LossConfig seqMean = LossConfig.defaults();
        assertEquals(RowPacking.TREE, RowPacking.AUTO.resolve(transformer, PackingMode.DECOUPLED, 4, seqMean));
        assertEquals(RowPacking.PER_ANSWER, RowPacking.AUTO.resolve(transformer, PackingMode.DECOUPLED, 1, seqMean));
        assertEquals(RowPacking.PER_ANSWER, RowPacking.AUTO.resolve(transformer, PackingMode.COUPLED, 1, seqMean));
        LossConfig autoConstant = LossConfig.builder().aggregation("constant").build();
        assertEquals(RowPacking.PER_ANSWER, RowPacking.AUTO.resolve(transformer, PackingMode.DECOUPLED, 4, autoConstant));
        assertEquals(RowPacking.TREE, RowPacking.AUTO.resolve(transformer, PackingMode.DECOUPLED, 4,
                LossConfig.builder().aggregation("constant").constantNormalizer(64).build()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RowPacking.TREE.resolve(transformer, PackingMode.DECOUPLED, 4, autoConstant));
        assertTrue(e.getMessage().contains("rowPacking = TREE") && e.getMessage().contains("normaliser"), e.getMessage());
        // options whose per-row logic assumes one answer per row (GRPO family, issue 15) keep one row per answer
        for (LossConfig rowWise : List.of(LossConfig.builder().importanceRatio("sequence").build(),
                LossConfig.builder().maskTruncatedCompletions(true).build(),
                LossConfig.builder().entropyTopFraction(0.2).build())) {
            assertEquals(RowPacking.PER_ANSWER, RowPacking.AUTO.resolve(transformer, PackingMode.DECOUPLED, 4, rowWise));
            assertThrows(IllegalArgumentException.class, () -> RowPacking.TREE.resolve(transformer, PackingMode.DECOUPLED, 4,
                    rowWise));
        }

        org.nd4j.autodiff.samediff.SameDiff sd = org.nd4j.autodiff.samediff.SameDiff.create();
        org.nd4j.autodiff.samediff.SDVariable tokens = sd.placeHolder("tokens", DataType.INT32, -1, 4);
        org.nd4j.autodiff.samediff.SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, V, V));
        sd.reshape(sd.reshape(sd.oneHot(tokens, V, -1, 1.0, 0.0, DataType.FLOAT), -1, V).mmul(w), -1, 4, V).rename("logits");
        PolicyModel plain = new SameDiffPolicy(sd, "tokens", "logits", V, null);
        assertEquals(false, plain.supportsPackedRows());
        assertEquals(RowPacking.PER_ANSWER, RowPacking.AUTO.resolve(plain, PackingMode.DECOUPLED, 4, seqMean));
        e = assertThrows(IllegalArgumentException.class, () -> RowPacking.TREE.resolve(plain, PackingMode.DECOUPLED, 4, seqMean));
        assertTrue(e.getMessage().contains("supportsPackedRows()"), e.getMessage());
    }
}
