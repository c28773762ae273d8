package io.github.dl4jgrpoma.dl4j;

import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/** Checks that a DL4J network can act as a token policy, with errors that name the layer and the fix. */
final class NetworkChecks {
    private NetworkChecks() {
    }

    /**
     * @throws IllegalArgumentException for an uninitialised network, an output layer that is not an
     *                                  {@code RnnOutputLayer}, a first layer or output layer whose size is not the
     *                                  vocabulary, or an output activation other than IDENTITY / SOFTMAX
     */
    static void requireRecurrentPolicy(MultiLayerNetwork net, int vocabSize) {
        if (net == null || net.getLayers() == null || net.params() == null) {
            throw new IllegalArgumentException("the network is null or not initialised; call net.init() first");
        }
        int n = net.getnLayers();
        checkOutput(net.getLayer(n - 1).conf().getLayer(), "output layer " + (n - 1), vocabSize);
        Layer first = net.getLayer(0).conf().getLayer();
        if (first instanceof FeedForwardLayer ff && ff.getNIn() != vocabSize) {
            throw new IllegalArgumentException("vocabulary mismatch: the first layer has nIn = " + ff.getNIn()
                    + " but the tokenizer has " + vocabSize + " tokens (inputs are one-hot tokens); build it with nIn = tokenizer.vocabSize()");
        }
    }

    /**
     * The graph form: exactly one input and one output, the output an {@code RnnOutputLayer} with {@code V} outputs
     * and IDENTITY / SOFTMAX activation.
     *
     * @throws IllegalArgumentException naming the problem and the fix
     */
    static void requireRecurrentPolicy(ComputationGraph graph, int vocabSize) {
        if (graph == null || graph.getLayers() == null || graph.params() == null) {
            throw new IllegalArgumentException("the graph is null or not initialised; call graph.init() first");
        }
        if (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("the graph has " + graph.getNumInputArrays() + " inputs and "
                    + graph.getNumOutputArrays() + " outputs; a token policy takes one input (one-hot tokens) and has one output");
        }
        checkOutput(graph.getOutputLayer(0).conf().getLayer(), "output layer", vocabSize);
    }

    private static void checkOutput(Layer outConf, String where, int vocabSize) {
        if (!(outConf instanceof RnnOutputLayer)) {
            throw new IllegalArgumentException("the network's " + where + " is a " + outConf.getClass().getSimpleName()
                    + ", not an RnnOutputLayer: a GRPO-MA policy predicts a token at every time step; end the network with"
                    + " new RnnOutputLayer.Builder(new GrpoMaSameDiffLoss()).nOut(vocabSize).activation(Activation.IDENTITY)");
        }
        BaseOutputLayer out = (BaseOutputLayer) outConf;
        if (out.getNOut() != vocabSize) {
            throw new IllegalArgumentException("vocabulary mismatch: the output layer has nOut = " + out.getNOut()
                    + " but the tokenizer has " + vocabSize + " tokens; build the network with nOut = tokenizer.vocabSize()");
        }
        if (!(out.getActivationFn() instanceof ActivationIdentity || out.getActivationFn() instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("the output layer's activation is " + out.getActivationFn()
                    + "; use Activation.IDENTITY (logits, as GrpoMaSameDiffLoss needs) or SOFTMAX");
        }
    }
}
