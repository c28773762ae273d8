package io.github.dl4jgrpoma.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jgrpoma.rollout.DecodingState;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;

class RecurrentNetworkDecoderTest {
    private static final int V = 7;
    private static final int T = 9;

    private static MultiLayerNetwork net() {
        return TinyLstm.build(V, 6, 42, DataType.FLOAT, new Adam(1e-3), new GrpoMaSameDiffLoss());
    }

    private static int[][] randomTokens(int rows, int length, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] out = new int[rows][length];
        for (int[] row : out) {
            for (int i = 0; i < length; i++) {
                row[i] = rng.nextInt(V);
            }
        }
        return out;
    }

    /** Logits [rows, V, T] of a full output() pass over one-hot tokens. */
    private static INDArray fullPass(MultiLayerNetwork net, int[][] tokens) {
        INDArray x = Nd4j.zeros(DataType.FLOAT, tokens.length, V, tokens[0].length);
        for (int r = 0; r < tokens.length; r++) {
            for (int t = 0; t < tokens[r].length; t++) {
                x.putScalar(new long[] {r, tokens[r][t], t}, 1.0);
            }
        }
        return net.output(x);
    }

    private static INDArray at(INDArray full, int t) {
        return full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
    }

    @Test
    void stepwiseDecodingEqualsAFullOutputPass() {
        MultiLayerNetwork net = net();
        int[][] tokens = randomTokens(3, T, 1);
        INDArray full = fullPass(net, tokens);
        RecurrentNetworkDecoder decoder = new RecurrentNetworkDecoder(net, V, T);
        int[][] first = {{tokens[0][0]}, {tokens[1][0]}, {tokens[2][0]}};
        DecodingState state = decoder.prefill(first);
        double worst = 0;
        for (int t = 0; t < T; t++) {
            worst = Math.max(worst, state.nextLogits().sub(at(full, t)).amaxNumber().doubleValue());
            if (t + 1 < T) {
                state.append(new int[] {tokens[0][t + 1], tokens[1][t + 1], tokens[2][t + 1]}, new boolean[] {true, true, true});
            }
        }
        assertTrue(worst < 1e-5, "stepwise vs output(): max |diff| = " + worst);
        assertTrue(at(full, 3).sub(at(full, 4)).amaxNumber().doubleValue() > 1e-4, "logits change with the input");
    }

    @Test
    void computationGraphStepwiseAndForkedDecodingEqualAFullPass() {
        org.deeplearning4j.nn.graph.ComputationGraph graph = new org.deeplearning4j.nn.graph.ComputationGraph(
                new NeuralNetConfiguration.Builder().seed(9).dataType(DataType.FLOAT)
                        .trainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE)
                        .inferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE)
                        .graphBuilder().addInputs("tokens")
                        .addLayer("lstm", new LSTM.Builder().nIn(V).nOut(5).activation(Activation.TANH).build(), "tokens")
                        .addLayer("out", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(new GrpoMaSameDiffLoss())
                                .nIn(5).nOut(V).activation(Activation.IDENTITY).build(), "lstm")
                        .setOutputs("out").build());
        graph.init();
        int[][] tokens = randomTokens(2, T, 4);
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, V, T);
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < T; t++) {
                x.putScalar(new long[] {r, tokens[r][t], t}, 1.0);
            }
        }
        INDArray full = graph.outputSingle(x);
        RecurrentNetworkDecoder decoder = new RecurrentNetworkDecoder(graph, V, T);
        DecodingState state = decoder.prefill(new int[][] {java.util.Arrays.copyOf(tokens[0], 3), java.util.Arrays.copyOf(tokens[1], 3)});
        DecodingState branch = state.fork(new int[] {1, 0});
        double worst = 0;
        for (int t = 3; t < T; t++) {
            worst = Math.max(worst, state.nextLogits().sub(at(full, t - 1)).amaxNumber().doubleValue());
            worst = Math.max(worst, branch.nextLogits().getRow(0).sub(at(full, t - 1).getRow(1)).amaxNumber().doubleValue());
            state.append(new int[] {tokens[0][t], tokens[1][t]}, new boolean[] {true, true});
            branch.append(new int[] {tokens[1][t], tokens[0][t]}, new boolean[] {true, true});
        }
        assertTrue(worst < 1e-5, "graph stepwise/forked vs output(): " + worst);
    }

    @Test
    void prefixesOfDifferentLengthsAndInactiveRowsStayExact() {
        MultiLayerNetwork net = net();
        int[][] tokens = randomTokens(3, T, 2);
        INDArray full = fullPass(net, tokens);
        RecurrentNetworkDecoder decoder = new RecurrentNetworkDecoder(net, V, T);
        int[] lens = {2, 5, 3};
        int[][] prefixes = new int[3][];
        for (int r = 0; r < 3; r++) {
            prefixes[r] = java.util.Arrays.copyOf(tokens[r], lens[r]);
        }
        DecodingState state = decoder.prefill(prefixes);
        for (int r = 0; r < 3; r++) {
            assertEquals(lens[r], state.length(r));
            assertTrue(state.nextLogits().getRow(r).sub(at(full, lens[r] - 1).getRow(r)).amaxNumber().doubleValue() < 1e-5);
        }
        // row 1 inactive: it keeps its logits; rows 0 and 2 advance one token
        state.append(new int[] {tokens[0][2], 0, tokens[2][3]}, new boolean[] {true, false, true});
        assertTrue(state.nextLogits().getRow(0).sub(at(full, 2).getRow(0)).amaxNumber().doubleValue() < 1e-5);
        assertTrue(state.nextLogits().getRow(1).sub(at(full, 4).getRow(1)).amaxNumber().doubleValue() < 1e-5);
        assertTrue(state.nextLogits().getRow(2).sub(at(full, 3).getRow(2)).amaxNumber().doubleValue() < 1e-5);
    }

    @Test
    void forkedBranchesEqualFromScratchDecoding() {
        MultiLayerNetwork net = net();
        RecurrentNetworkDecoder decoder = new RecurrentNetworkDecoder(net, V, T);
        int[][] prompts = randomTokens(2, 3, 3);
        DecodingState thought = decoder.prefill(prompts);
        thought.append(new int[] {1, 2}, new boolean[] {true, true});
        DecodingState answers = thought.fork(new int[] {0, 0, 1, 1});      // M = 2 answers per thought
        int[][] continuation = {{3, 4}, {5, 6}, {0, 1}, {2, 2}};
        for (int s = 0; s < 2; s++) {
            int[] tok = new int[4];
            for (int a = 0; a < 4; a++) {
                tok[a] = continuation[a][s];
            }
            answers.append(tok, new boolean[] {true, true, true, true});
        }
        int[][] scratch = new int[4][];
        for (int a = 0; a < 4; a++) {
            int[] p = prompts[a / 2];
            scratch[a] = new int[] {p[0], p[1], p[2], a / 2 == 0 ? 1 : 2, continuation[a][0], continuation[a][1]};
        }
        DecodingState fresh = decoder.prefill(scratch);
        double diff = answers.nextLogits().sub(fresh.nextLogits()).amaxNumber().doubleValue();
        assertTrue(diff < 1e-5, "forked vs from-scratch: " + diff);
        assertEquals(6, answers.length(0));
        // the parent state is unchanged by its fork's appends
        assertEquals(4, thought.length(0));
        assertTrue(thought.nextLogits().getRow(1).sub(decoder.prefill(new int[][] {{prompts[1][0], prompts[1][1], prompts[1][2], 2}})
                .nextLogits().getRow(0)).amaxNumber().doubleValue() < 1e-5);
    }

    @Test
    void networksThatAreNoTokenPolicyAreRejected() {
        MultiLayerNetwork dense = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(V).nOut(4).build())
                .layer(new OutputLayer.Builder(new GrpoMaSameDiffLoss()).nIn(4).nOut(V).activation(Activation.IDENTITY).build()).build());
        dense.init();
        IllegalArgumentException noRnn = assertThrows(IllegalArgumentException.class, () -> new RecurrentNetworkDecoder(dense, V, T));
        assertTrue(noRnn.getMessage().contains("not an RnnOutputLayer"), noRnn.getMessage());
        IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class, () -> new RecurrentNetworkDecoder(net(), V + 1, T));
        assertTrue(vocab.getMessage().contains("vocabulary mismatch"), vocab.getMessage());
        MultiLayerNetwork lstm = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new LSTM.Builder().nIn(V).nOut(4).build())
                .layer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(new GrpoMaSameDiffLoss()).nIn(4).nOut(V).activation(Activation.TANH).build()).build());
        lstm.init();
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () -> new RecurrentNetworkDecoder(lstm, V, T));
        assertTrue(act.getMessage().contains("IDENTITY"), act.getMessage());
    }
}
