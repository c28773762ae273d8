package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.train.PackedBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns a packed GRPO-MA batch (core's {@link io.github.dl4jgrpoma.train.BatchPacker} layout: one row per
 * (prompt, thought, answer), each thought's tokens in one row only) into the DL4J {@link DataSet} that
 * {@link GrpoMaSameDiffLoss} reads. Pure: no IO, no randomness.
 *
 * <ul>
 *   <li>features {@code [R, V, T]}: one-hot of the input tokens (the usual input of a DL4J character model), no
 *       features mask (a recurrent network is causal and the padding sits at the end);</li>
 *   <li>labels {@code [R, V, T]}: at every loss position the layout documented on {@link GrpoMaSameDiffLoss}
 *       ({@code label[y] = c}, the other entries {@code old - 1 - |c|}), zeros elsewhere;</li>
 *   <li>labels mask {@code [R, T]}: thought mask + answer mask of the packed batch.</li>
 * </ul>
 */
public final class GrpoMaLabels {
    private GrpoMaLabels() {
    }

    /**
     * @param packed    the packed batch
     * @param vocabSize V, the network's number of outputs (and one-hot inputs)
     * @param config    loss settings (aggregation and thought weight; beta must be 0)
     * @param dataType  data type of the arrays (the network's: DOUBLE or FLOAT)
     * @throws IllegalArgumentException when a token or target lies outside {@code [0, V)}, V &lt; 2, beta &gt; 0,
     *                                  or the aggregation is not built in
     */
    public static DataSet toDataSet(PackedBatch packed, int vocabSize, LossConfig config, DataType dataType) {
        if (vocabSize < 2) {
            throw new IllegalArgumentException("vocabSize = " + vocabSize + "; the GRPO-MA label layout needs V >= 2");
        }
        GrpoMaSameDiffLoss.of(config);   // rejects beta > 0 with a clear message
        int[][] tokens = packed.tokens().toIntMatrix();
        int[][] targets = packed.targets().toIntMatrix();
        double[][] th = packed.thoughtMask().toDoubleMatrix();
        double[][] ans = packed.answerMask().toDoubleMatrix();
        double[][] adv = packed.advantages().toDoubleMatrix();
        double[][] old = packed.oldLogProbs().toDoubleMatrix();
        int rows = tokens.length;
        int t = tokens[0].length;
        double[][] weights = TokenWeights.of(th, ans, config);
        double[] features = new double[rows * vocabSize * t];
        double[] labels = new double[rows * vocabSize * t];
        double[][] mask = new double[rows][t];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < t; i++) {
                int token = tokens[r][i];
                checkId(token, vocabSize, "token", r, i);
                features[(r * vocabSize + token) * t + i] = 1;
                mask[r][i] = th[r][i] + ans[r][i];
                if (mask[r][i] == 0) {
                    continue;
                }
                int y = targets[r][i];
                checkId(y, vocabSize, "target", r, i);
                double c = rows * weights[r][i] * adv[r][i];
                double rest = old[r][i] - 1 - Math.abs(c);
                for (int v = 0; v < vocabSize; v++) {
                    labels[(r * vocabSize + v) * t + i] = v == y ? c : rest;
                }
            }
        }
        long[] shape = {rows, vocabSize, t};
        return new DataSet(Nd4j.create(features, shape, 'c').castTo(dataType), Nd4j.create(labels, shape, 'c').castTo(dataType),
                null, Nd4j.createFromArray(mask).castTo(dataType));
    }

    /**
     * Checks 2-D labels {@code [N, V]} (as DL4J hands them to a loss) against the layout; rows with mask 0 and
     * all-zero rows are skipped.
     *
     * @throws IllegalArgumentException naming the first offending row, e.g. for ordinary one-hot labels
     */
    static void checkLayout(INDArray labels, INDArray mask) {
        if (labels.rank() != 2 || labels.size(1) < 2) {
            throw new IllegalArgumentException("GrpoMaSameDiffLoss: labels of shape " + java.util.Arrays.toString(labels.shape())
                    + "; it needs [N, V] (an RnnOutputLayer's [R, V, T]) with V >= 2 in the GrpoMaLabels layout");
        }
        int n = (int) labels.size(0);
        int v = (int) labels.size(1);
        double[] l = labels.dup('c').data().asDouble();
        double[] m = mask == null ? null : mask.dup('c').data().asDouble();
        for (int r = 0; r < n; r++) {
            if (m != null && m[m.length == n ? r : r * (m.length / n)] == 0) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            int above = 0;
            for (int i = 0; i < v; i++) {
                max = Math.max(max, l[r * v + i]);
                min = Math.min(min, l[r * v + i]);
            }
            if (max == 0 && min == 0) {
                continue;
            }
            for (int i = 0; i < v; i++) {
                above += l[r * v + i] > min ? 1 : 0;
            }
            boolean ok = above == 1 && Double.isFinite(max) && Double.isFinite(min) && min <= -1 - Math.abs(max) + 1e-3;
            for (int i = 0; ok && i < v; i++) {
                double x = l[r * v + i];
                ok = x == max || x == min;
            }
            if (!ok) {
                throw new IllegalArgumentException("GrpoMaSameDiffLoss: label row " + r + " (max " + max + ", min " + min
                        + ") is not in the GRPO-MA layout (target slot = coefficient, every other slot = old log-prob - 1 - |coefficient|);"
                        + " ordinary one-hot labels do not work here: build labels with GrpoMaLabels.toDataSet or GrpoMaDataSetIterator");
            }
        }
    }

    private static void checkId(int id, int vocab, String what, int row, int pos) {
        if (id < 0 || id >= vocab) {
            throw new IllegalArgumentException(what + " " + id + " at row " + row + ", position " + pos + " is outside [0, "
                    + vocab + "): the network's vocabulary size " + vocab + " does not match the tokenizer's; build the network"
                    + " with nIn = nOut = tokenizer.vocabSize()");
        }
    }
}
