package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.dl4j.GrpoMaDataSetIterator;
import io.github.dl4jgrpoma.dl4j.GrpoMaListenerBridge;
import io.github.dl4jgrpoma.dl4j.GrpoMaNetworks;
import io.github.dl4jgrpoma.dl4j.OffHeapGcListener;
import io.github.dl4jgrpoma.examples.math.MathRewards;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.policy.Tokenizer;
import java.util.List;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.ScoreIterationListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The code of the README section "In an existing DL4J pipeline", exactly as {@code bin/grpoma lstm} runs it
 * (a test checks that the README holds the text between the {@code README} markers): an ordinary DL4J character
 * LSTM, warmed up with plain {@code net.fit} on traces, then trained with GRPO-MA through
 * {@link GrpoMaDataSetIterator}.
 */
public final class LstmPipeline {
    private LstmPipeline() {
    }

    /** Builds the LSTM (plain DL4J character model: MCXENT + SOFTMAX), initialised from the seed. */
    public static MultiLayerNetwork network(LstmSettings s, Tokenizer tok) {
        // README-BEGIN network
        int v = tok.vocabSize();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(s.seed())
                .updater(new Adam(s.sftLr())).gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(s.gradientClip()).trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE).list()
                .layer(new LSTM.Builder().nIn(v).nOut(s.hidden()).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunction.MCXENT).nIn(s.hidden()).nOut(v)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        // README-END network
        return net;
    }

    /**
     * Fits the network on the SFT traces with {@code sftListeners} (DL4J's) attached; per-layer gradient clipping
     * (in the configuration) keeps the early updates of the LSTM stable at the SFT learning rate.
     */
    public static void warmUp(MultiLayerNetwork net, DataSetIterator sftTraces,
                              org.deeplearning4j.optimize.api.TrainingListener... sftListeners) {
        // README-BEGIN warmUp
        net.setListeners(sftListeners);                         // e.g. new OffHeapGcListener(1)
        net.fit(sftTraces);                                     // supervised next-character training
        // README-END warmUp
    }

    /**
     * Switches the warmed-up network to the GRPO-MA loss and trains it with {@code net.fit} on rollouts, from RL
     * step {@code done} (0 for a new run; a resumed run's completed steps) to {@code s.rlSteps()}.
     *
     * @param rlListeners further DL4J listeners (e.g. checkpoints)
     */
    public static GrpoMaListenerBridge reinforce(MultiLayerNetwork net, LstmSettings s, Tokenizer tok, PromptSource prompts,
                                                 List<TrainingListener> listeners, int done,
                                                 org.deeplearning4j.optimize.api.TrainingListener... rlListeners) {
        // README-BEGIN reinforce
        GrpoMaNetworks.useGrpoMaLoss(net, tok.vocabSize(), LossConfig.defaults());   // same weights, new loss
        net.setLearningRate(s.rlLr());
        GrpoMaDataSetIterator rollouts = new GrpoMaDataSetIterator(net, tok, prompts,
                MathRewards.create(s.formatWeight()), s.grpoMaConfig(), s.maxLength(), s.rlSteps() - done);
        rollouts.resumeAt(done);                               // RL steps already done: 0, or a resumed run's
        GrpoMaListenerBridge bridge = new GrpoMaListenerBridge(rollouts, "lstm", s.rlSteps(), listeners);
        net.setListeners(new ScoreIterationListener(50), new OffHeapGcListener(1), bridge);
        net.addListeners(rlListeners);                         // e.g. checkpoints
        net.fit(rollouts, 1);                                  // each batch: K x M rollouts of the live network
        bridge.end();
        // README-END reinforce
        return bridge;
    }
}
