package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.PackingMode;

import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.policy.BatchRows;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * Packs rollout trees and their advantages into the {@code [R,T]} arrays of the GRPO loss and the policy input
 * of the rows (token ids, and each row's prompt conditioning). Pure: no IO, no randomness.
 *
 * <p>Rows: for every kept prompt {@code p}, thought {@code k} and answer {@code m} (in that order) one row
 * with the sequence {@code s = prompt + contextTokens_k + answer_km} (length {@code L <= T + 1}). Input
 * {@code tokens[t] = s[t]} for {@code t < min(L, T)}, else pad; {@code targets[t] = s[t + 1]} for
 * {@code t + 1 < L}, else pad. A token sampled at sequence index {@code i} therefore has its mask, advantage and
 * old log-prob at position {@code i - 1}.
 *
 * <p>Let {@code P} be the prompt length, {@code n_k} the number of <em>sampled</em> thought tokens and
 * {@code c_k} the context length ({@code n_k}, or {@code n_k + 1} when a forced end-of-thought was appended
 * after truncation). Sampled thought token {@code j} sits at {@code P + j}, answer token {@code j} at
 * {@code P + c_k + j}. The forced end-of-thought token at {@code P + n_k} is fed but gets no loss.
 * <ul>
 *   <li>{@link PackingMode#DECOUPLED}: thought positions {@code P + j - 1} get thoughtMask 1, advantage
 *       {@code A_th_k} and old log-prob {@code thought.logProbs[j]} in the row of answer 0 only (in the other
 *       rows of the thought they are 0); answer positions {@code P + c_k + j - 1} get answerMask 1, advantage
 *       {@code A_ans_km} and {@code answer.logProbs[j]}.</li>
 *   <li>{@link PackingMode#COUPLED} (requires M = 1): thought and answer positions all get answerMask 1 and
 *       advantage {@code A_ans_k0}; thoughtMask is 0 everywhere.</li>
 * </ul>
 */
public final class BatchPacker {
    private final int maxLength;
    private final DataType dataType;
    private final int padId;

    /**
     * @param maxLength T, the policy's fixed sequence length
     * @param dataType  floating type of masks, advantages and log-probs (the policy's)
     * @param padId     filler id for positions beyond a sequence
     */
    public BatchPacker(int maxLength, DataType dataType, int padId) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("BatchPacker.maxLength = " + maxLength + "; use the policy's T (>= 2)");
        }
        if (dataType == null || !dataType.isFPType()) {
            throw new IllegalArgumentException("BatchPacker.dataType = " + dataType + "; use the policy's FLOAT or DOUBLE");
        }
        if (padId < 0) {
            throw new IllegalArgumentException("BatchPacker.padId = " + padId + "; use the tokenizer's pad id (>= 0)");
        }
        this.maxLength = maxLength;
        this.dataType = dataType;
        this.padId = padId;
    }

    /**
     * Packs the kept prompts of a batch.
     *
     * @param batch      the rollout trees
     * @param advantages one entry per prompt of the batch, of the same K x M shape as its tree
     * @param keep       per prompt: true to put it in the loss (e.g. false for a prompt dropped by dynamic sampling)
     * @param mode       DECOUPLED or COUPLED (resolve AUTO first with {@link PackingMode#resolve})
     * @throws IllegalArgumentException on mismatched sizes, AUTO, COUPLED with M &gt; 1, no kept prompt, or a
     *                                  sequence longer than {@code T + 1}
     */
    public PackedBatch pack(RolloutBatch batch, List<Advantages> advantages, boolean[] keep, PackingMode mode) {
        return pack(batch, advantages, keep, mode, RowPacking.PER_ANSWER);
    }

    /**
     * Packs the kept prompts of a batch in the given row layout ({@link RowPacking#TREE}: see {@link TreeRows}).
     *
     * @param rowPacking PER_ANSWER or TREE (resolve AUTO with {@link RowPacking#resolve} first)
     * @throws IllegalArgumentException as {@link #pack(RolloutBatch, List, boolean[], PackingMode)}, or for AUTO, or
     *                                  TREE with COUPLED packing
     */
    public PackedBatch pack(RolloutBatch batch, List<Advantages> advantages, boolean[] keep, PackingMode mode,
                            RowPacking rowPacking) {
        List<PromptRollout> prompts = batch.prompts();
        if (advantages.size() != prompts.size() || keep.length != prompts.size()) {
            throw new IllegalArgumentException("BatchPacker.pack: " + prompts.size() + " prompts but " + advantages.size()
                    + " advantage entries and " + keep.length + " keep flags; pass one of each per prompt");
        }
        if (mode == null || mode == PackingMode.AUTO) {
            throw new IllegalArgumentException("BatchPacker.pack: mode = " + mode
                    + "; resolve AUTO with PackingMode.resolve(estimator) first");
        }
        int rows = 0;
        for (int p = 0; p < prompts.size(); p++) {
            PromptRollout pr = prompts.get(p);
            Advantages a = advantages.get(p);
            int k = pr.thoughts().size();
            int m = pr.thoughts().get(0).answers().size();
            if (a.k() != k || a.m() != m) {
                throw new IllegalArgumentException("BatchPacker.pack: prompt " + p + " has a " + k + " x " + m
                        + " tree but " + a.k() + " x " + a.m() + " advantages");
            }
            if (mode == PackingMode.COUPLED && m != 1) {
                throw new IllegalArgumentException("BatchPacker.pack: COUPLED packing needs M = 1 answer per thought, "
                        + "prompt " + p + " has M = " + m + "; use DECOUPLED (GRPO-MA) packing");
            }
            if (keep[p]) {
                rows += k * m;
                requireFits(pr, p);
            }
        }
        if (rows == 0) {
            throw new IllegalArgumentException("BatchPacker.pack: no prompt is kept; skip the update instead of packing");
        }
        if (rowPacking == null || rowPacking == RowPacking.AUTO) {
            throw new IllegalArgumentException("BatchPacker.pack: rowPacking = " + rowPacking
                    + "; resolve AUTO with RowPacking.resolve(...) first");
        }
        if (rowPacking == RowPacking.TREE) {
            if (mode != PackingMode.DECOUPLED) {
                throw new IllegalArgumentException("BatchPacker.pack: TREE rows need DECOUPLED packing, got " + mode
                        + "; use RowPacking.PER_ANSWER");
            }
            return new TreeRows(dataType, padId).pack(batch, advantages, keep);
        }
        int t = maxLength;
        int[][] tokens = new int[rows][t];
        int[][] targets = new int[rows][t];
        double[][] th = new double[rows][t];
        double[][] ans = new double[rows][t];
        double[][] adv = new double[rows][t];
        double[][] old = new double[rows][t];
        int[] rowPrompt = new int[rows];
        int[] rowThought = new int[rows];
        int[] rowAnswer = new int[rows];
        long lossTokens = 0;
        int r = 0;
        for (int p = 0; p < prompts.size(); p++) {
            if (!keep[p]) {
                continue;
            }
            PromptRollout pr = prompts.get(p);
            int promptLen = pr.prompt().length();
            for (int k = 0; k < pr.thoughts().size(); k++) {
                ThoughtRollout thought = pr.thoughts().get(k);
                int[] thTokens = thought.tokens();
                double[] thLogp = thought.logProbs();
                int context = thought.contextTokens().length;
                for (int m = 0; m < thought.answers().size(); m++) {
                    AnswerRollout answer = thought.answers().get(m);
                    int[] seq = pr.sequence(k, m);
                    java.util.Arrays.fill(tokens[r], padId);
                    java.util.Arrays.fill(targets[r], padId);
                    for (int i = 0; i < Math.min(seq.length, t); i++) {
                        tokens[r][i] = seq[i];
                    }
                    for (int i = 0; i + 1 < seq.length; i++) {
                        targets[r][i] = seq[i + 1];
                    }
                    Advantages a = advantages.get(p);
                    double ansAdv = a.answerAdvantage(k, m);
                    boolean coupled = mode == PackingMode.COUPLED;
                    if (coupled || m == 0) {
                        double[][] mask = coupled ? ans : th;
                        double value = coupled ? ansAdv : a.thoughtAdvantage(k);
                        for (int j = 0; j < thTokens.length; j++) {
                            int pos = promptLen + j - 1;
                            mask[r][pos] = 1;
                            adv[r][pos] = value;
                            old[r][pos] = thLogp[j];
                            lossTokens++;
                        }
                    }
                    double[] ansLogp = answer.logProbs();
                    for (int j = 0; j < ansLogp.length; j++) {
                        int pos = promptLen + context + j - 1;
                        ans[r][pos] = 1;
                        adv[r][pos] = ansAdv;
                        old[r][pos] = ansLogp[j];
                        lossTokens++;
                    }
                    rowPrompt[r] = p;
                    rowThought[r] = k;
                    rowAnswer[r] = m;
                    r++;
                }
            }
        }
        Map<String, INDArray> conditioning = BatchRows.select(
                Conditioning.stack(prompts.stream().map(pr -> pr.prompt().conditioning()).toList()), rowPrompt);
        PolicyInput input = PolicyInput.of(Nd4j.createFromArray(tokens).castTo(DataType.INT32), conditioning);
        return new PackedBatch(input, Nd4j.createFromArray(targets).castTo(DataType.INT32), floats(th), floats(ans),
                floats(adv), floats(old), rowPrompt, rowThought, rowAnswer, lossTokens);
    }

    private void requireFits(PromptRollout pr, int p) {
        for (int k = 0; k < pr.thoughts().size(); k++) {
            for (int m = 0; m < pr.thoughts().get(k).answers().size(); m++) {
                int length = pr.sequence(k, m).length;
                if (length > maxLength + 1) {
                    throw new IllegalArgumentException("BatchPacker.pack: prompt " + p + ", thought " + k + ", answer "
                            + m + " has " + length + " tokens, more than T + 1 = " + (maxLength + 1)
                            + "; lower the rollout caps or use a model with a longer maxLength");
                }
            }
        }
    }

    private INDArray floats(double[][] values) {
        return Nd4j.createFromArray(values).castTo(dataType);
    }
}
