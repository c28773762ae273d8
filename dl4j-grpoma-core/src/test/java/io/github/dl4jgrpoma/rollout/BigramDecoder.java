package io.github.dl4jgrpoma.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test double: a fixed-logits "model" whose next-token logits depend only on the last token
 * ({@code table[last]}). Counts prefilled rows and consumed tokens so tests can see what was computed.
 */
final class BigramDecoder implements IncrementalDecoder {
    final double[][] table;
    final int maxLength;
    final List<Integer> prefillRows = new ArrayList<>();
    long consumed;

    BigramDecoder(double[][] table, int maxLength) {
        this.table = table;
        this.maxLength = maxLength;
    }

    @Override
    public int vocabSize() {
        return table.length;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public DecodingState prefill(int[][] prefixes, Map<String, INDArray> conditioning) {
        if (!conditioning.isEmpty()) {
            throw new IllegalArgumentException("the bigram test model takes no conditioning");
        }
        prefillRows.add(prefixes.length);
        int[][] seqs = new int[prefixes.length][];
        for (int b = 0; b < prefixes.length; b++) {
            seqs[b] = prefixes[b].clone();
            consumed += prefixes[b].length;
        }
        return new State(seqs);
    }

    final class State implements DecodingState {
        final int[][] seqs;

        State(int[][] seqs) {
            this.seqs = seqs;
        }

        @Override
        public int rows() {
            return seqs.length;
        }

        @Override
        public int length(int row) {
            return seqs[row].length;
        }

        @Override
        public INDArray nextLogits() {
            double[][] l = new double[seqs.length][];
            for (int b = 0; b < seqs.length; b++) {
                l[b] = table[seqs[b][seqs[b].length - 1]];
            }
            return Nd4j.createFromArray(l);
        }

        @Override
        public void append(int[] tokens, boolean[] active) {
            for (int b = 0; b < seqs.length; b++) {
                if (active[b]) {
                    if (seqs[b].length >= maxLength) {
                        throw new IllegalArgumentException("row " + b + " is full");
                    }
                    seqs[b] = Arrays.copyOf(seqs[b], seqs[b].length + 1);
                    seqs[b][seqs[b].length - 1] = tokens[b];
                    consumed++;
                }
            }
        }

        @Override
        public DecodingState fork(int[] rows) {
            int[][] s = new int[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                s[i] = seqs[rows[i]].clone();
            }
            return new State(s);
        }
    }
}
