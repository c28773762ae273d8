package io.github.dl4jgrpoma.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;

/**
 * GRPO-MA on a {@link ComputationGraph}: the graph, fed by the {@link GrpoMaMultiDataSetIterator}, trains exactly as
 * the same LSTM as a {@link MultiLayerNetwork} fed by the {@link GrpoMaDataSetIterator}.
 */
class GrpoMaGraphIteratorTest {
    private static final CharTokenizer TOK = GrpoMaDataSetIteratorTest.TOKENIZER;

    private static ComputationGraph graph(long seed) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new Adam(0.02)).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder().addInputs("tokens")
                .addLayer("lstm", new LSTM.Builder().nIn(TOK.vocabSize()).nOut(8).activation(Activation.TANH).build(), "tokens")
                .addLayer("out", new RnnOutputLayer.Builder(new GrpoMaSameDiffLoss()).nIn(8).nOut(TOK.vocabSize())
                        .activation(Activation.IDENTITY).build(), "lstm")
                .setOutputs("out").setInputTypes(InputType.recurrent(TOK.vocabSize())).build());
        g.init();
        return g;
    }

    private static GrpoMaDataSetIterator rollouts(ComputationGraph g, int steps) {
        List<Prompt> prompts = List.of(
                new Prompt("a", new int[] {CharTokenizer.BOS, TOK.encode("a")[0], CharTokenizer.BEGIN_THOUGHT}),
                new Prompt("b", new int[] {CharTokenizer.BOS, TOK.encode("b")[0], CharTokenizer.BEGIN_THOUGHT}));
        CompositeReward reward = CompositeReward.of(RewardFunction.of("echo",
                ctx -> ctx.answer().startsWith(ctx.prompt()) ? 1.0 : 0.0));
        return new GrpoMaDataSetIterator(g, TOK, PromptSource.uniform(prompts), reward, GrpoMaDataSetIteratorTest.config(1),
                GrpoMaDataSetIteratorTest.T, steps);
    }

    @Test
    void aGraphTrainedThroughTheMultiDataSetIteratorMatchesTheSameNetworkAsAMultiLayerNetwork() {
        MultiLayerNetwork net = GrpoMaDataSetIteratorTest.net(4);
        ComputationGraph g = graph(4);
        g.setParams(net.params().dup());
        GrpoMaDataSetIterator mlnRollouts = GrpoMaDataSetIteratorTest.iterator(net, 1, 3);
        GrpoMaMultiDataSetIterator graphRollouts = new GrpoMaMultiDataSetIterator(rollouts(g, 3));

        MultiDataSet first = new GrpoMaMultiDataSetIterator(rollouts(graph(4), 1)).next();
        assertEquals(1, first.getFeatures().length);
        assertEquals(3, first.getLabels(0).rank(), "labels [R, V, T]");
        assertEquals(first.getLabels(0).size(0), first.getLabelsMaskArray(0).size(0), "label mask [R, T]");

        net.fit(mlnRollouts, 1);
        g.fit(graphRollouts, 1);
        assertEquals(3, net.getIterationCount());
        assertEquals(3, g.getIterationCount());
        assertFalse(graphRollouts.hasNext());
        double diff = net.params().sub(g.params()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-6, "graph and network weights after 3 GRPO-MA updates differ by " + diff);
        assertTrue(net.params().sub(GrpoMaDataSetIteratorTest.net(4).params()).amaxNumber().doubleValue() > 1e-4,
                "the updates changed the weights");
        assertEquals(mlnRollouts.lastMetrics().get("reward/mean"), graphRollouts.rollouts().lastMetrics().get("reward/mean"));

        graphRollouts.reset();
        assertTrue(graphRollouts.hasNext(), "reset starts another epoch");
        DataSet viaDataSet = rollouts(graph(4), 1).next();
        assertEquals(viaDataSet.getLabels(), first.getLabels(0), "the same batch as the DataSet form");
    }

    @Test
    void aGraphThatIsNotARecurrentTokenPolicyIsRejectedWithTheFix() {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("tokens")
                .addLayer("lstm", new LSTM.Builder().nIn(TOK.vocabSize()).nOut(8).build(), "tokens")
                .addLayer("out", new RnnOutputLayer.Builder(new GrpoMaSameDiffLoss()).nIn(8).nOut(TOK.vocabSize() + 1)
                        .activation(Activation.IDENTITY).build(), "lstm")
                .setOutputs("out").setInputTypes(InputType.recurrent(TOK.vocabSize())).build());
        g.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rollouts(g, 1));
        assertTrue(e.getMessage().contains(String.valueOf(TOK.vocabSize())), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GrpoMaMultiDataSetIterator(null));
        ComputationGraph untyped = new ComputationGraph(new NeuralNetConfiguration.Builder().graphBuilder().addInputs("tokens")
                .addLayer("lstm", new LSTM.Builder().nIn(TOK.vocabSize()).nOut(8).build(), "tokens")
                .addLayer("out", new RnnOutputLayer.Builder(new GrpoMaSameDiffLoss()).nIn(8).nOut(TOK.vocabSize())
                        .activation(Activation.IDENTITY).build(), "lstm")
                .setOutputs("out").build());
        untyped.init();
        e = assertThrows(IllegalArgumentException.class, () -> rollouts(untyped, 1));
        assertTrue(e.getMessage().contains("setInputTypes(InputType.recurrent(V))"), e.getMessage());
    }
}
