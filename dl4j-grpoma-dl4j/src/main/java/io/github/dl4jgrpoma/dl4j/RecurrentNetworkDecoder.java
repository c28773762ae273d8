package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.rollout.DecodingChecks;
import io.github.dl4jgrpoma.rollout.DecodingState;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Rollout decoding of a recurrent DL4J {@link MultiLayerNetwork} or {@link ComputationGraph} (e.g. LSTM layers and an
 * {@code RnnOutputLayer}) with {@code rnnTimeStep}: the recurrent analogue of a key/value cache. Each
 * {@link DecodingState} owns the recurrent state of its rows ({@code rnnGetPreviousState} of every recurrent layer,
 * arrays {@code [rows, H]}) and the next-token logits {@code [rows, V]}; {@link DecodingState#fork} copies the rows'
 * states, so the M answers of a thought continue from the thought's state without recomputing prompt and thought
 * (GRPO-MA.md section 6).
 *
 * <p>Input encoding: one-hot {@code [rows, V, 1]} per step (the usual input of DL4J character models, the same as
 * {@link GrpoMaLabels}' features). Logits: the output layer's pre-activation for an {@code IDENTITY} output layer
 * (as {@link GrpoMaSameDiffLoss} needs), {@code log} of the probabilities for a {@code SOFTMAX} one.
 *
 * <p>The network's own stored state is overwritten by every call (each state sets its rows before stepping), so
 * do not interleave {@code rnnTimeStep} calls of your own with a rollout. Not thread-safe (calls lock the network).
 */
public final class RecurrentNetworkDecoder implements IncrementalDecoder {
    private final RecurrentNet net;
    private final int vocabSize;
    private final int maxLength;
    private final boolean softmaxOutput;
    private final DataType dataType;

    /**
     * @param net       an initialised network whose first layer takes {@code V} inputs and whose output layer is an
     *                  {@code RnnOutputLayer} with {@code V} outputs and IDENTITY (or SOFTMAX) activation
     * @param vocabSize V, the tokenizer's vocabulary size
     * @param maxLength longest sequence a row may reach (the T of the training rows)
     * @throws IllegalArgumentException naming the layer and the fix when the network does not fit
     */
    public RecurrentNetworkDecoder(MultiLayerNetwork net, int vocabSize, int maxLength) {
        this(RecurrentNet.of(net, vocabSize), vocabSize, maxLength);
    }

    /**
     * The same for a {@link ComputationGraph} with one input (one-hot tokens {@code [B, V, T]}) and one output, an
     * {@code RnnOutputLayer} with {@code V} outputs.
     *
     * @throws IllegalArgumentException naming the problem and the fix when the graph does not fit
     */
    public RecurrentNetworkDecoder(ComputationGraph graph, int vocabSize, int maxLength) {
        this(RecurrentNet.of(graph, vocabSize), vocabSize, maxLength);
    }

    private RecurrentNetworkDecoder(RecurrentNet net, int vocabSize, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength = " + maxLength + "; use the T of the training rows (>= 2)");
        }
        this.net = net;
        this.vocabSize = vocabSize;
        this.maxLength = maxLength;
        this.softmaxOutput = net.outputActivation() instanceof ActivationSoftmax;
        this.dataType = net.dataType();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public DecodingState prefill(int[][] prefixes, Map<String, INDArray> conditioning) {
        if (!conditioning.isEmpty()) {
            throw new IllegalArgumentException("RecurrentNetworkDecoder: the network takes no conditioning but got "
                    + conditioning.keySet() + "; give prompts without conditioning arrays");
        }
        DecodingChecks.checkPrefixes(prefixes, vocabSize, maxLength);
        int longest = 0;
        for (int[] p : prefixes) {
            longest = Math.max(longest, p.length);
        }
        State state = new State(prefixes.length);
        for (int step = 0; step < longest; step++) {
            int[] tokens = new int[prefixes.length];
            boolean[] active = new boolean[prefixes.length];
            for (int b = 0; b < prefixes.length; b++) {
                active[b] = step < prefixes[b].length;
                tokens[b] = active[b] ? prefixes[b][step] : 0;
            }
            state.append(tokens, active);
        }
        return state;
    }

    private void checkToken(int token, String what) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException(what + " = " + token + " is outside [0, " + vocabSize + ")");
        }
    }

    /** Recurrent state and logits of a batch of rows. */
    private final class State implements DecodingState {
        /** Per recurrent layer (in {@link RecurrentNet#recurrentLayers()} order): state arrays [rows, ...]; null before step 1. */
        private List<Map<String, INDArray>> layerStates;
        private INDArray logits;
        private final int[] lengths;

        State(int rows) {
            this.lengths = new int[rows];
        }

        State(List<Map<String, INDArray>> layerStates, INDArray logits, int[] lengths) {
            this.layerStates = layerStates;
            this.logits = logits;
            this.lengths = lengths;
        }

        @Override
        public int rows() {
            return lengths.length;
        }

        @Override
        public int length(int row) {
            return lengths[row];
        }

        @Override
        public INDArray nextLogits() {
            if (logits == null) {
                throw new IllegalStateException("no token consumed yet");
            }
            return logits;
        }

        @Override
        public void append(int[] tokens, boolean[] active) {
            int rows = rows();
            DecodingChecks.checkAppend(rows, tokens, active);
            INDArray x = Nd4j.zeros(dataType, rows, vocabSize, 1);
            boolean any = false;
            for (int b = 0; b < rows; b++) {
                if (active[b]) {
                    checkToken(tokens[b], "row " + b + " token");
                    if (lengths[b] >= maxLength) {
                        throw new IllegalArgumentException("row " + b + " already has maxLength = " + maxLength + " tokens");
                    }
                    x.putScalar(new long[] {b, tokens[b], 0}, 1.0);
                    any = true;
                }
            }
            if (!any) {
                return;
            }
            List<Map<String, INDArray>> next = new ArrayList<>();
            INDArray out;
            synchronized (net.lock()) {
                List<String> layers = net.recurrentLayers();
                if (layerStates == null) {
                    net.clearState();
                } else {
                    for (int i = 0; i < layers.size(); i++) {
                        net.setState(layers.get(i), new java.util.HashMap<>(layerStates.get(i)));
                    }
                }
                out = net.step(x).reshape(rows, vocabSize).dup();
                for (String layer : layers) {
                    Map<String, INDArray> s = new java.util.HashMap<>();
                    net.getState(layer).forEach((k, v) -> s.put(k, v.dup()));
                    next.add(s);
                }
                net.clearState();
            }
            if (softmaxOutput) {
                out = Transforms.log(out, false);
            }
            for (int b = 0; b < rows; b++) {
                if (active[b]) {
                    lengths[b]++;
                } else if (layerStates != null) {          // keep the row exactly as it was
                    final int row = b;
                    out.putRow(row, logits.getRow(row));
                    for (int i = 0; i < next.size(); i++) {
                        Map<String, INDArray> old = layerStates.get(i);
                        next.get(i).forEach((k, v) -> v.putRow(row, old.get(k).getRow(row)));
                    }
                }
            }
            layerStates = next;
            logits = out;
        }

        @Override
        public DecodingState fork(int[] rows) {
            DecodingChecks.checkFork(rows(), rows);
            List<Map<String, INDArray>> copy = new ArrayList<>(layerStates.size());
            for (Map<String, INDArray> s : layerStates) {
                Map<String, INDArray> c = new java.util.HashMap<>();
                s.forEach((k, v) -> c.put(k, Nd4j.pullRows(v, 1, rows)));
                copy.add(c);
            }
            int[] len = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                len[i] = lengths[rows[i]];
            }
            return new State(copy, Nd4j.pullRows(logits, 1, rows), len);
        }
    }
}
