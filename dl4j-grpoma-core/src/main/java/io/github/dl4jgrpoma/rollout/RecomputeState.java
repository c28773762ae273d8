package io.github.dl4jgrpoma.rollout;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.Map;

import io.github.dl4jgrpoma.policy.BatchRows;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.policy.PolicyModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Decoding state of {@link RecomputeDecoder}: the token sequence, conditioning and next-token logits of every row. */
final class RecomputeState implements DecodingState {
    private final PolicyModel policy;
    private final int[][] seqs;
    private final int[] lengths;
    private final Map<String, INDArray> conditioning;
    private final INDArray next;

    RecomputeState(PolicyModel policy, int[][] prefixes, Map<String, INDArray> conditioning) {
        this.policy = policy;
        this.conditioning = conditioning;
        this.seqs = new int[prefixes.length][policy.maxLength()];
        this.lengths = new int[prefixes.length];
        for (int b = 0; b < prefixes.length; b++) {
            System.arraycopy(prefixes[b], 0, seqs[b], 0, prefixes[b].length);
            lengths[b] = prefixes[b].length;
        }
        this.next = Nd4j.create(policy.dataType(), prefixes.length, policy.vocabSize());
        boolean[] all = new boolean[prefixes.length];
        Arrays.fill(all, true);
        recompute(all);
    }

    private RecomputeState(RecomputeState src, int[] idx) {
        this.policy = src.policy;
        this.conditioning = BatchRows.select(src.conditioning, idx);
        this.seqs = new int[idx.length][];
        this.lengths = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            seqs[i] = src.seqs[idx[i]].clone();
            lengths[i] = src.lengths[idx[i]];
        }
        this.next = Nd4j.pullRows(src.next, 1, idx);
    }

    @Override
    public int rows() {
        return seqs.length;
    }

    @Override
    public int length(int row) {
        return lengths[row];
    }

    @Override
    public INDArray nextLogits() {
        return next;
    }

    @Override
    public void append(int[] tokens, boolean[] active) {
        DecodingChecks.checkAppend(rows(), tokens, active);
        for (int b = 0; b < rows(); b++) {
            if (!active[b]) {
                continue;
            }
            if (tokens[b] < 0 || tokens[b] >= policy.vocabSize()) {
                throw new IllegalArgumentException("token " + tokens[b] + " of row " + b + " is outside [0, " + policy.vocabSize() + ")");
            }
            if (lengths[b] >= policy.maxLength()) {
                throw new IllegalArgumentException("row " + b + " already holds " + lengths[b]
                        + " tokens, the model's maximum length; cap prompt + thought + answer at " + policy.maxLength());
            }
        }
        for (int b = 0; b < rows(); b++) {
            if (active[b]) {
                seqs[b][lengths[b]++] = tokens[b];
            }
        }
        recompute(active);
    }

    @Override
    public DecodingState fork(int[] idx) {
        DecodingChecks.checkFork(rows(), idx);
        return new RecomputeState(this, idx);
    }

    private void recompute(boolean[] active) {
        int count = 0;
        for (boolean a : active) {
            count += a ? 1 : 0;
        }
        if (count == 0) {
            return;
        }
        int[][] batch = new int[count][];
        int[] rowOf = new int[count];
        int i = 0;
        for (int b = 0; b < rows(); b++) {
            if (active[b]) {
                batch[i] = seqs[b];
                rowOf[i++] = b;
            }
        }
        INDArray tokens = Nd4j.createFromArray(batch);
        PolicyInput input = PolicyInput.of(tokens, count == rows() ? conditioning : BatchRows.select(conditioning, rowOf));
        INDArray logits = policy.forward(input);       // [count, T, V]
        for (i = 0; i < count; i++) {
            next.putRow(rowOf[i], logits.get(point(i), point(lengths[rowOf[i]] - 1), all()));
        }
    }
}
