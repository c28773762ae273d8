package io.github.dl4jgrpoma.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/** Tiny LSTM networks for the tests. */
final class TinyLstm {
    private TinyLstm() {
    }

    static MultiLayerNetwork build(int vocab, int hidden, long seed, DataType dataType, IUpdater updater,
                                    GrpoMaSameDiffLoss loss) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE)
                .list()
                .layer(new LSTM.Builder().nIn(vocab).nOut(hidden).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(loss).nIn(hidden).nOut(vocab)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static MultiLayerNetwork doubles(int vocab, int hidden, long seed) {
        return build(vocab, hidden, seed, DataType.DOUBLE, new NoOp(), new GrpoMaSameDiffLoss());
    }
}
