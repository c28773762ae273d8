package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.data.SftExample;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Supervised warm-up data for a DL4J character model: core {@link SftExample}s (prompt + completion tokens) as the
 * {@link DataSet} a plain next-token {@code RnnOutputLayer} (MCXENT + SOFTMAX) fits on. Pure: no IO, no randomness.
 *
 * <p>Row {@code b}, sequence {@code s = prompt + completion} (length {@code L <= T + 1}): features one-hot
 * {@code s[t]} at {@code [b, :, t]} for {@code t < min(L, T)}; labels one-hot {@code s[t + 1]}; labels mask 1 where
 * the target is a completion token ({@code t + 1 >= prompt length}), so the prompt is not learned (as core's
 * {@code SftLoss}); features mask 1 on the sequence.
 */
public final class SftDataSets {
    private SftDataSets() {
    }

    /**
     * @throws IllegalArgumentException for an empty list, a token outside {@code [0, V)} (vocabulary mismatch) or a
     *                                  sequence longer than {@code T + 1}
     */
    public static DataSet toDataSet(List<SftExample> examples, int vocabSize, int maxLength, DataType dataType) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("SftDataSets.toDataSet needs at least one example");
        }
        int rows = examples.size();
        int t = maxLength;
        double[] features = new double[rows * vocabSize * t];
        double[] labels = new double[rows * vocabSize * t];
        double[][] fMask = new double[rows][t];
        double[][] lMask = new double[rows][t];
        for (int b = 0; b < rows; b++) {
            SftExample e = examples.get(b);
            int[] s = new int[e.length()];
            System.arraycopy(e.prompt(), 0, s, 0, e.prompt().length);
            System.arraycopy(e.completion(), 0, s, e.prompt().length, e.completion().length);
            if (s.length > t + 1) {
                throw new IllegalArgumentException("example " + b + " has " + s.length + " tokens, more than T + 1 = " + (t + 1)
                        + "; use a longer maxLength");
            }
            for (int i = 0; i < s.length; i++) {
                if (s[i] < 0 || s[i] >= vocabSize) {
                    throw new IllegalArgumentException("example " + b + " token " + i + " = " + s[i] + " is outside [0, " + vocabSize
                            + "): the network's vocabulary does not match the tokenizer's");
                }
                if (i < t) {
                    features[(b * vocabSize + s[i]) * t + i] = 1;
                    fMask[b][i] = 1;
                }
                if (i >= 1 && i - 1 < t) {
                    labels[(b * vocabSize + s[i]) * t + i - 1] = 1;
                    lMask[b][i - 1] = i >= e.prompt().length ? 1 : 0;
                }
            }
        }
        long[] shape = {rows, vocabSize, t};
        return new DataSet(Nd4j.create(features, shape, 'c').castTo(dataType), Nd4j.create(labels, shape, 'c').castTo(dataType),
                Nd4j.createFromArray(fMask).castTo(dataType), Nd4j.createFromArray(lMask).castTo(dataType));
    }
}
