package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * SFT training: memorises three demonstrations, reports phase "sft" metrics, packs the completion mask by
 * hand-checked positions, resumes exactly from its checkpoints, and trains the right loss when the GRPO loss
 * lives in the same graph (parameters equal those of a graph holding only the SFT loss, before and after a GRPO
 * step switched the loss variables).
 */
class SftTrainerTest {
    @TempDir
    Path dir;

    private static final List<SftExample> DEMOS = List.of(
            new SftExample(new int[] {1, 6, 3}, new int[] {7, 4, 6, 2}),
            new SftExample(new int[] {1, 8, 3}, new int[] {9, 4, 8, 2}),
            new SftExample(new int[] {1, 10, 3}, new int[] {11, 4, 10, 2}));

    private static SftConfig cfg(long steps) {
        return SftConfig.of(steps).withBatchSize(6).withOptimizer(OptimizerConfig.defaults().withLearningRate(1e-2))
                .withSeed(4);
    }

    @Test
    void memorisesDemonstrationsAndReportsSftMetrics() {
        Tiny.Recorder rec = new Tiny.Recorder();
        TrainingResult r = new SftTrainer(Tiny.policy(8, 1), Tiny.TOKENIZER, DEMOS, cfg(40), List.of(rec), null).fit();
        assertEquals(40, r.completedSteps());
        List<Double> loss = rec.steps.stream().map(e -> e.metrics().get("sft/loss")).toList();
        assertTrue(loss.get(0) > 2.0, "random start near log 15: " + loss.get(0));
        assertTrue(loss.get(39) < 0.1 * loss.get(0), "loss curve " + loss);
        assertEquals(1.0, rec.steps.get(39).metrics().get("sft/token_acc"), 0);
        StepEvent e = rec.steps.get(0);
        assertEquals(StepEvent.PHASE_SFT, e.phase());
        assertEquals(24.0, e.metrics().get("sft/tokens"), 0);   // 6 examples x 4 completion tokens
        assertTrue(e.metrics().containsKey("grad_norm"));
    }

    @Test
    void completionMaskStartsAtThePositionBeforeTheFirstCompletionToken() {
        TransformerPolicy p = Tiny.policy(6, 1);
        SftTrainer t = new SftTrainer(p, Tiny.TOKENIZER, DEMOS, cfg(1), List.of(), null);
        Map<String, INDArray> f = t.feed(List.of(new SftExample(new int[] {1, 6}, new int[] {7, 8, 2}),
                new SftExample(new int[] {1, 6, 3}, new int[] {7, 4, 6, 2})));
        assertArrayEquals(new int[] {1, 6, 7, 8, 2, 0}, f.get(p.tokensPlaceholder()).getRow(0).toIntVector());
        assertArrayEquals(new int[] {6, 7, 8, 2, 0, 0}, f.get(t.loss().targets()).getRow(0).toIntVector());
        assertArrayEquals(new double[] {0, 1, 1, 1, 0, 0}, f.get(t.loss().mask()).getRow(0).toDoubleVector(), 0);
        // 7 tokens = T + 1: the last input token is dropped, the last target kept
        assertArrayEquals(new int[] {1, 6, 3, 7, 4, 6}, f.get(p.tokensPlaceholder()).getRow(1).toIntVector());
        assertArrayEquals(new int[] {6, 3, 7, 4, 6, 2}, f.get(t.loss().targets()).getRow(1).toIntVector());
        assertArrayEquals(new double[] {0, 0, 1, 1, 1, 1}, f.get(t.loss().mask()).getRow(1).toDoubleVector(), 0);
    }

    @Test
    void resumedSftRunEqualsUninterruptedRun() {
        TransformerPolicy straight = Tiny.policy(8, 2);
        new SftTrainer(straight, Tiny.TOKENIZER, DEMOS, cfg(4), List.of(), null).fit();
        TransformerPolicy first = Tiny.policy(8, 2);
        new SftTrainer(first, Tiny.TOKENIZER, DEMOS, cfg(2).withCheckpointEvery(2), List.of(), dir).fit();
        TransformerPolicy other = Tiny.policy(8, 50);
        SftTrainer resumed = new SftTrainer(other, Tiny.TOKENIZER, DEMOS, cfg(4).withCheckpointEvery(2), List.of(), dir);
        assertEquals(OptionalLong.of(2), resumed.restoreLatest());
        resumed.fit();
        assertEquals(4, resumed.completedSteps());
        assertParamsEqual(straight, other, 1e-6f);
    }

    @Test
    void sftAndGrpoLossesInOneGraphTrainExactlyTheSelectedLoss() {
        TransformerPolicy both = Tiny.policy(8, 3);
        GrpoMaConfig rl = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 1, 1).build()).promptsPerStep(3).steps(1)
                .optimizer(OptimizerConfig.defaults().withLearningRate(1e-2)).build();
        GrpoMaTrainer grpoBoth = GrpoMaTrainer.builder().policy(both).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(Tiny.parityReward()).config(rl).build();
        SftTrainer sftBoth = new SftTrainer(both, Tiny.TOKENIZER, DEMOS, cfg(10), List.of(), null);
        assertEquals(List.of(sftBoth.loss().loss()), both.sameDiff().getLossVariables(),
                "the newest trainer selected its loss as the only loss variable");
        TransformerPolicy sftOnly = Tiny.policy(8, 3);
        SftTrainer sftAlone = new SftTrainer(sftOnly, Tiny.TOKENIZER, DEMOS, cfg(10), List.of(), null);

        sftBoth.step();
        sftAlone.step();
        assertParamsEqual(both, sftOnly, 0f);

        // a GRPO step on the shared graph equals one on a graph holding only the GRPO loss
        TransformerPolicy grpoOnly = Tiny.policy(8, 3);
        copy(both, grpoOnly);
        GrpoMaTrainer grpoAlone = GrpoMaTrainer.builder().policy(grpoOnly).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(rl).build();
        grpoBoth.step();
        grpoAlone.step();
        assertParamsEqual(both, grpoOnly, 0f);

        // and switching back to SFT trains the SFT loss alone again
        copy(both, sftOnly);
        sftBoth.step();
        sftAlone.step();
        assertParamsEqual(both, sftOnly, 0f);
        assertEquals(List.of(sftBoth.loss().loss()), both.sameDiff().getLossVariables());
    }

    private static void copy(TransformerPolicy from, TransformerPolicy to) {
        for (String n : from.trainableVariables()) {
            to.weight(n).assign(from.weight(n));
        }
    }

    private static void assertParamsEqual(TransformerPolicy a, TransformerPolicy b, float tol) {
        for (String n : a.trainableVariables()) {
            assertArrayEquals(a.weight(n).dup().reshape(-1).toFloatVector(), b.weight(n).dup().reshape(-1).toFloatVector(),
                    tol, n);
        }
    }
}
