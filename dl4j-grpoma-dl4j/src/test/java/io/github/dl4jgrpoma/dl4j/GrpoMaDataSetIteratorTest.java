package io.github.dl4jgrpoma.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;

class GrpoMaDataSetIteratorTest {
    static final CharTokenizer TOKENIZER = new CharTokenizer("ab");
    static final int T = 10;

    static MultiLayerNetwork net(long seed) {
        return TinyLstm.build(TOKENIZER.vocabSize(), 8, seed, DataType.FLOAT, new Adam(0.02), new GrpoMaSameDiffLoss());
    }

    static GrpoMaConfig config(int innerEpochs) {
        RolloutConfig rollout = RolloutConfig.builder().thoughts(2).answersPerThought(3).maxThoughtTokens(3)
                .maxAnswerTokens(3).build();
        return GrpoMaConfig.builder().rollout(rollout).promptsPerStep(2).innerEpochs(innerEpochs).seed(5).build();
    }

    static GrpoMaDataSetIterator iterator(MultiLayerNetwork net, int innerEpochs, int stepsPerEpoch) {
        List<Prompt> prompts = List.of(
                new Prompt("a", new int[] {CharTokenizer.BOS, TOKENIZER.encode("a")[0], CharTokenizer.BEGIN_THOUGHT}),
                new Prompt("b", new int[] {CharTokenizer.BOS, TOKENIZER.encode("b")[0], CharTokenizer.BEGIN_THOUGHT}));
        // reward: the answer repeats the prompt's letter
        CompositeReward reward = CompositeReward.of(RewardFunction.of("echo",
                ctx -> ctx.answer().startsWith(ctx.prompt()) ? 1.0 : 0.0));
        return new GrpoMaDataSetIterator(net, TOKENIZER, PromptSource.uniform(prompts), reward, config(innerEpochs), T,
                stepsPerEpoch);
    }

    @Test
    void nextSamplesAPackedSeededBatchFromTheLiveNetwork() {
        GrpoMaDataSetIterator it = iterator(net(1), 1, 3);
        DataSet ds = it.next();
        int rows = 2 * 2 * 3;
        int v = TOKENIZER.vocabSize();
        assertEquals(List.of((long) rows, (long) v, (long) T), List.of(ds.getFeatures().shape()[0], ds.getFeatures().shape()[1],
                ds.getFeatures().shape()[2]));
        assertEquals(List.of((long) rows, (long) v, (long) T), List.of(ds.getLabels().shape()[0], ds.getLabels().shape()[1],
                ds.getLabels().shape()[2]));
        assertTrue(ds.getLabelsMaskArray().sumNumber().doubleValue() > rows, "answer tokens and thoughts carry loss");
        assertTrue(it.lastMetrics().containsKey("reward/mean"), it.lastMetrics().toString());
        assertTrue(it.lastMetrics().containsKey("zero_std_frac/thought"), it.lastMetrics().toString());
        assertEquals(1, it.updates());
        // same seed, same weights: the same batch; the next step differs
        DataSet again = iterator(net(1), 1, 3).next();
        assertEquals(ds.getLabels(), again.getLabels());
        assertFalse(ds.getLabels().equals(it.next().getLabels()));
    }

    @Test
    void innerEpochsRepeatTheBatchAndEpochsEndAfterStepsPerEpoch() {
        GrpoMaDataSetIterator it = iterator(net(2), 2, 2);
        DataSet a = it.next();
        DataSet b = it.next();
        assertEquals(a.getLabels(), b.getLabels());
        assertEquals(1, it.step());
        it.next();
        it.next();
        assertFalse(it.hasNext());
        it.reset();
        assertTrue(it.hasNext());
        assertThrows(IllegalArgumentException.class, () -> it.resumeAt(3));
    }

    @Test
    void fitWithBridgeScoreAndCheckpointListenersResumesExactly(@TempDir Path dir) throws Exception {
        // uninterrupted: 4 updates
        MultiLayerNetwork full = net(3);
        GrpoMaDataSetIterator fullIt = iterator(full, 1, 4);
        List<StepEvent> events = new ArrayList<>();
        TrainingListener collect = new TrainingListener() {
            @Override
            public ListenerResponse onStep(StepEvent event) {
                events.add(event);
                return ListenerResponse.CONTINUE;
            }
        };
        GrpoMaListenerBridge bridge = new GrpoMaListenerBridge(fullIt, "test", 4, List.of(collect));
        full.setListeners(bridge, new ScoreIterationListener(1));
        full.fit(fullIt, 1);
        bridge.end();
        assertEquals(4, events.size());
        StepEvent lastEvent = events.get(3);
        assertEquals(4, lastEvent.step());
        for (String key : List.of("reward/mean", "accuracy", "zero_std_frac/thought", "zero_std_frac/answer", "loss", "grad_norm",
                "grad_spike_score", "time/rollout_ms", "time/update_ms")) {
            assertTrue(lastEvent.metric(key).isPresent(), key + " missing in " + lastEvent.metrics().keySet());
        }
        assertTrue(lastEvent.metric("grad_norm").getAsDouble() > 0);

        // interrupted: 2 updates with DL4J's CheckpointListener, restore (with updater state), 2 more
        File ckpt = dir.toFile();
        MultiLayerNetwork first = net(3);
        GrpoMaDataSetIterator firstIt = iterator(first, 1, 2);
        first.setListeners(new CheckpointListener.Builder(ckpt).saveEveryNIterations(1).keepLast(2).build(),
                new ScoreIterationListener(1));
        first.fit(firstIt, 1);
        assertEquals(1, CheckpointListener.loadLastCheckpointMLN(ckpt).getIterationCount(), "DL4J's count lags by one");
        MultiLayerNetwork restored = GrpoMaCheckpoints.loadLastCheckpointListenerModel(ckpt);
        assertEquals(2, restored.getIterationCount());
        GrpoMaDataSetIterator resumed = iterator(restored, 1, 2);
        resumed.resumeAt(restored.getIterationCount());
        restored.fit(resumed, 1);
        double diff = restored.params().sub(full.params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-6, "resumed vs uninterrupted parameters differ by " + diff);
        assertTrue(full.params().sub(net(3).params()).amaxNumber().doubleValue() > 1e-4, "training changed the weights");

        // ModelSerializer after fit: 2 updates, save, load, 2 more = uninterrupted
        MultiLayerNetwork second = net(3);
        second.fit(iterator(second, 1, 2), 1);
        File model = dir.resolve("model.zip").toFile();
        GrpoMaCheckpoints.save(second, model);
        MultiLayerNetwork back = GrpoMaCheckpoints.load(model);
        assertEquals(second.params(), back.params());
        assertEquals(second.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertTrue(back.getLayer(1).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.RnnOutputLayer rnn
                && rnn.getLossFn() instanceof GrpoMaSameDiffLoss, "the custom loss survives serialisation");
        GrpoMaDataSetIterator backIt = iterator(back, 1, 2);
        backIt.resumeAt(back.getIterationCount());
        back.fit(backIt, 1);
        double diff2 = back.params().sub(full.params()).amaxNumber().doubleValue();
        assertTrue(diff2 < 1e-6, "ModelSerializer resume vs uninterrupted parameters differ by " + diff2);
    }
}
