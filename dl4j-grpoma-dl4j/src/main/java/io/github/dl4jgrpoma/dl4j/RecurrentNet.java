package io.github.dl4jgrpoma.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The part of a {@link MultiLayerNetwork} or {@link ComputationGraph} a recurrent decoder drives, by layer name. */
interface RecurrentNet {
    /** Names of the recurrent layers (an MLN's layer indices as text). */
    List<String> recurrentLayers();

    void clearState();

    void setState(String layer, Map<String, INDArray> state);

    Map<String, INDArray> getState(String layer);

    /** One time step: {@code x [rows, V, 1]} to the output layer's activations. */
    INDArray step(INDArray x);

    IActivation outputActivation();

    DataType dataType();

    /** The object to lock while the network's stored state is in use. */
    Object lock();

    static RecurrentNet of(MultiLayerNetwork net, int vocabSize) {
        NetworkChecks.requireRecurrentPolicy(net, vocabSize);
        List<String> rec = new ArrayList<>();
        for (int i = 0; i < net.getnLayers(); i++) {
            if (net.getLayer(i) instanceof RecurrentLayer) {
                rec.add(String.valueOf(i));
            }
        }
        IActivation act = ((BaseOutputLayer) net.getLayer(net.getnLayers() - 1).conf().getLayer()).getActivationFn();
        return new RecurrentNet() {
            public List<String> recurrentLayers() {
                return rec;
            }

            public void clearState() {
                net.rnnClearPreviousState();
            }

            public void setState(String layer, Map<String, INDArray> state) {
                net.rnnSetPreviousState(Integer.parseInt(layer), state);
            }

            public Map<String, INDArray> getState(String layer) {
                return net.rnnGetPreviousState(Integer.parseInt(layer));
            }

            public INDArray step(INDArray x) {
                return net.rnnTimeStep(x);
            }

            public IActivation outputActivation() {
                return act;
            }

            public DataType dataType() {
                return net.params().dataType();
            }

            public Object lock() {
                return net;
            }
        };
    }

    static RecurrentNet of(ComputationGraph graph, int vocabSize) {
        NetworkChecks.requireRecurrentPolicy(graph, vocabSize);
        List<String> rec = new ArrayList<>();
        for (Layer l : graph.getLayers()) {
            if (l instanceof RecurrentLayer) {
                rec.add(l.conf().getLayer().getLayerName());
            }
        }
        IActivation act = ((BaseOutputLayer) graph.getOutputLayer(0).conf().getLayer()).getActivationFn();
        return new RecurrentNet() {
            public List<String> recurrentLayers() {
                return rec;
            }

            public void clearState() {
                graph.rnnClearPreviousState();
            }

            public void setState(String layer, Map<String, INDArray> state) {
                graph.rnnSetPreviousState(layer, state);
            }

            public Map<String, INDArray> getState(String layer) {
                return graph.rnnGetPreviousState(layer);
            }

            public INDArray step(INDArray x) {
                return graph.rnnTimeStep(x)[0];
            }

            public IActivation outputActivation() {
                return act;
            }

            public DataType dataType() {
                return graph.params().dataType();
            }

            public Object lock() {
                return graph;
            }
        };
    }
}
