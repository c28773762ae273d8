package io.github.dl4jgrpoma.algo;

import java.util.Arrays;

/**
 * The advantages of ONE prompt with {@code K} thoughts and {@code M} answers per thought, plus the group
 * statistics users want as metrics.
 *
 * <p>Arrays are copied on construction and every array accessor returns a fresh copy, so an instance is
 * immutable. Hot loops can read single entries without copying through {@link #thoughtAdvantage(int)},
 * {@link #answerAdvantage(int, int)} and {@link #thoughtValue(int)}. {@code equals} and {@code hashCode}
 * compare the array contents.
 *
 * @param thoughtAdvantages  {@code A_th_i}, length {@code K}; given to every token of thought {@code i}
 * @param answerAdvantages   {@code A_ans_ij}, {@code K x M}; given to every token of answer {@code j} of thought {@code i}
 * @param thoughtValues      {@code V_i = (1/M) sum_j R_ij}, length {@code K}
 * @param thoughtValueStd    std of the thought values over the {@code K} thoughts (under the configured convention)
 * @param answerRewardStd    std of all {@code K*M} answer rewards of the prompt (under the configured
 *                           convention), whatever the answer normalisation
 * @param thoughtGroupZeroStd true when all {@code K} thought values are equal (so every {@code A_th_i} is 0)
 * @param zeroStdAnswerGroups number of answer normalisation groups whose rewards are all equal (their answer
 *                           advantages are 0)
 * @param answerGroups       number of answer normalisation groups: 1 for {@link AnswerNormalization#PROMPT},
 *                           {@code K} for {@link AnswerNormalization#THOUGHT}
 */
public record Advantages(double[] thoughtAdvantages, double[][] answerAdvantages, double[] thoughtValues,
                         double thoughtValueStd, double answerRewardStd, boolean thoughtGroupZeroStd,
                         int zeroStdAnswerGroups, int answerGroups) {

    /** Validates shapes and counts and takes defensive copies. */
    public Advantages {
        if (thoughtAdvantages == null || answerAdvantages == null || thoughtValues == null) {
            throw new IllegalArgumentException("Advantages: thoughtAdvantages, answerAdvantages and thoughtValues "
                    + "must not be null");
        }
        int k = thoughtAdvantages.length;
        if (k == 0 || answerAdvantages.length != k || thoughtValues.length != k) {
            throw new IllegalArgumentException("Advantages: need K >= 1 and the same K everywhere, got "
                    + "thoughtAdvantages.length=" + k + ", answerAdvantages.length=" + answerAdvantages.length
                    + ", thoughtValues.length=" + thoughtValues.length);
        }
        double[][] answers = new double[k][];
        for (int i = 0; i < k; i++) {
            if (answerAdvantages[i] == null || answerAdvantages[i].length == 0
                    || answerAdvantages[i].length != answerAdvantages[0].length) {
                throw new IllegalArgumentException("Advantages: answerAdvantages must be a rectangular K x M array "
                        + "with M >= 1; row " + i + " is " + (answerAdvantages[i] == null ? "null"
                        : "of length " + answerAdvantages[i].length + " (row 0 has " + answerAdvantages[0].length + ")"));
            }
            answers[i] = answerAdvantages[i].clone();
        }
        if (answerGroups < 1 || zeroStdAnswerGroups < 0 || zeroStdAnswerGroups > answerGroups) {
            throw new IllegalArgumentException("Advantages: need answerGroups >= 1 and 0 <= zeroStdAnswerGroups <= "
                    + "answerGroups, got answerGroups=" + answerGroups + ", zeroStdAnswerGroups=" + zeroStdAnswerGroups);
        }
        thoughtAdvantages = thoughtAdvantages.clone();
        answerAdvantages = answers;
        thoughtValues = thoughtValues.clone();
    }

    /** Number of thoughts {@code K}. */
    public int k() {
        return thoughtAdvantages.length;
    }

    /** Number of answers per thought {@code M}. */
    public int m() {
        return answerAdvantages[0].length;
    }

    /** A copy of the thought advantages {@code A_th}, length {@code K}. */
    @Override
    public double[] thoughtAdvantages() {
        return thoughtAdvantages.clone();
    }

    /** A deep copy of the answer advantages {@code A_ans}, {@code K x M}. */
    @Override
    public double[][] answerAdvantages() {
        double[][] copy = new double[answerAdvantages.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = answerAdvantages[i].clone();
        }
        return copy;
    }

    /** A copy of the thought values {@code V}, length {@code K}. */
    @Override
    public double[] thoughtValues() {
        return thoughtValues.clone();
    }

    /** {@code A_th_i} without copying. */
    public double thoughtAdvantage(int thought) {
        return thoughtAdvantages[thought];
    }

    /** {@code A_ans_ij} without copying. */
    public double answerAdvantage(int thought, int answer) {
        return answerAdvantages[thought][answer];
    }

    /** {@code V_i} without copying. */
    public double thoughtValue(int thought) {
        return thoughtValues[thought];
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Advantages other)) {
            return false;
        }
        return Arrays.equals(thoughtAdvantages, other.thoughtAdvantages)
                && Arrays.deepEquals(answerAdvantages, other.answerAdvantages)
                && Arrays.equals(thoughtValues, other.thoughtValues)
                && Double.compare(thoughtValueStd, other.thoughtValueStd) == 0
                && Double.compare(answerRewardStd, other.answerRewardStd) == 0
                && thoughtGroupZeroStd == other.thoughtGroupZeroStd
                && zeroStdAnswerGroups == other.zeroStdAnswerGroups
                && answerGroups == other.answerGroups;
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(thoughtAdvantages);
        h = 31 * h + Arrays.deepHashCode(answerAdvantages);
        h = 31 * h + Arrays.hashCode(thoughtValues);
        h = 31 * h + Double.hashCode(thoughtValueStd);
        h = 31 * h + Double.hashCode(answerRewardStd);
        h = 31 * h + Boolean.hashCode(thoughtGroupZeroStd);
        h = 31 * h + zeroStdAnswerGroups;
        return 31 * h + answerGroups;
    }

    @Override
    public String toString() {
        return "Advantages{K=" + k() + ", M=" + m() + ", thoughtAdvantages=" + Arrays.toString(thoughtAdvantages)
                + ", answerAdvantages=" + Arrays.deepToString(answerAdvantages)
                + ", thoughtValues=" + Arrays.toString(thoughtValues)
                + ", thoughtValueStd=" + thoughtValueStd + ", answerRewardStd=" + answerRewardStd
                + ", thoughtGroupZeroStd=" + thoughtGroupZeroStd + ", zeroStdAnswerGroups=" + zeroStdAnswerGroups
                + "/" + answerGroups + "}";
    }
}
