package io.github.dl4jgrpoma.train;

import java.util.ArrayList;
import java.util.Arrays;
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
 * {@link RowPacking#TREE}: one row per (kept prompt, thought) holding the prompt, the thought and its M answers
 * ({@link BatchPacker} calls it after validating). Pure.
 *
 * <p>With {@code s_m = prompt + contextTokens + answer_m} the sequence of answer {@code m} ({@code P} prompt tokens,
 * {@code c} context tokens, {@code a_m} answer tokens), a row is the trunk {@code s[0 .. P+c-2]} (positions
 * {@code 0..P+c-2}) followed, for each answer with {@code a_m >= 1}, by the branch
 * {@code [s[P+c-1], answer_m[0 .. a_m-2]]} (positions {@code P+c-1 .. P+c+a_m-2}), then padding. Every position
 * {@code i} of a branch predicts {@code answer_m[i]}; the last context token opens each branch because it is the
 * one predicting the first answer token (a position has one target). Attention: a trunk position sees the trunk up to
 * itself; a branch position sees the whole trunk and its own branch up to itself; a padding position sees itself.
 * So every logit at a loss position equals the one of {@link RowPacking#PER_ANSWER} rows (the last answer token,
 * which predicts nothing, is not fed). Masks, advantages and old log-probs are those of the per-answer layout moved
 * to these positions: the thought once (decoupled), each answer in its branch; the {@link PackedBatch#sequenceWeights()}
 * are {@code 1/n} on the {@code n} sampled thought tokens and {@code 1/a_m} on the tokens of answer {@code m}.
 */
final class TreeRows {
    private final DataType dataType;
    private final int padId;

    TreeRows(DataType dataType, int padId) {
        this.dataType = dataType;
        this.padId = padId;
    }

    /** One tree row of one thought, as plain arrays. */
    private static final class Row {
        final List<Integer> tokens = new ArrayList<>();
        final List<Integer> targets = new ArrayList<>();
        final List<Integer> positions = new ArrayList<>();
        final List<Integer> branch = new ArrayList<>();              // -1 trunk, m for answer m
        final List<double[]> loss = new ArrayList<>();                // {thought, answer, advantage, old, weight}

        void add(int token, int target, int position, int branchOf, double[] lossValues) {
            tokens.add(token);
            targets.add(target);
            positions.add(position);
            branch.add(branchOf);
            loss.add(lossValues);
        }
    }

    PackedBatch pack(RolloutBatch batch, List<Advantages> advantages, boolean[] keep) {
        List<PromptRollout> prompts = batch.prompts();
        List<Row> rows = new ArrayList<>();
        List<int[]> index = new ArrayList<>();                       // {prompt, thought}
        long lossTokens = 0;
        for (int p = 0; p < prompts.size(); p++) {
            if (!keep[p]) {
                continue;
            }
            PromptRollout pr = prompts.get(p);
            for (int k = 0; k < pr.thoughts().size(); k++) {
                rows.add(row(pr, k, advantages.get(p)));
                index.add(new int[] {p, k});
                ThoughtRollout th = pr.thoughts().get(k);
                lossTokens += th.logProbs().length;
                for (AnswerRollout a : th.answers()) {
                    lossTokens += a.logProbs().length;
                }
            }
        }
        int r = rows.size();
        int len = rows.stream().mapToInt(x -> x.tokens.size()).max().orElse(1);
        int[][] tokens = new int[r][len];
        int[][] targets = new int[r][len];
        int[][] positions = new int[r][len];
        double[][][] values = new double[5][r][len];                 // thought, answer, advantage, old, weight
        double[][][] attend = new double[r][len][len];
        int[] rowPrompt = new int[r];
        int[] rowThought = new int[r];
        for (int i = 0; i < r; i++) {
            Row row = rows.get(i);
            Arrays.fill(tokens[i], padId);
            Arrays.fill(targets[i], padId);
            for (int t = 0; t < len; t++) {
                if (t >= row.tokens.size()) {
                    attend[i][t][t] = 1;                               // padding sees itself only
                    continue;
                }
                tokens[i][t] = row.tokens.get(t);
                targets[i][t] = row.targets.get(t);
                positions[i][t] = row.positions.get(t);
                double[] v = row.loss.get(t);
                for (int j = 0; j < 5; j++) {
                    values[j][i][t] = v[j];
                }
                int own = row.branch.get(t);
                for (int s = 0; s <= t; s++) {
                    int other = row.branch.get(s);
                    attend[i][t][s] = other == -1 || other == own ? 1 : 0;
                }
            }
            rowPrompt[i] = index.get(i)[0];
            rowThought[i] = index.get(i)[1];
        }
        int[] rowAnswer = new int[r];
        Arrays.fill(rowAnswer, -1);
        Map<String, INDArray> conditioning = BatchRows.select(
                Conditioning.stack(prompts.stream().map(pr -> pr.prompt().conditioning()).toList()), rowPrompt);
        PolicyInput input = PolicyInput.of(Nd4j.createFromArray(tokens).castTo(DataType.INT32), conditioning)
                .withPositions(Nd4j.createFromArray(positions).castTo(DataType.INT32))
                .withAttentionMask(Nd4j.createFromArray(attend).castTo(dataType));
        return new PackedBatch(input, Nd4j.createFromArray(targets).castTo(DataType.INT32), floats(values[0]),
                floats(values[1]), floats(values[2]), floats(values[3]), rowPrompt, rowThought, rowAnswer, lossTokens,
                floats(values[4]));
    }

    private static Row row(PromptRollout pr, int k, Advantages adv) {
        ThoughtRollout thought = pr.thoughts().get(k);
        int[] prompt = pr.promptTokens();
        int[] context = thought.contextTokens();
        int[] prefix = new int[prompt.length + context.length];
        System.arraycopy(prompt, 0, prefix, 0, prompt.length);
        System.arraycopy(context, 0, prefix, prompt.length, context.length);
        int open = prefix.length - 1;                                  // the token that predicts each answer's first
        double[] thLogp = thought.logProbs();
        Row row = new Row();
        for (int i = 0; i < open; i++) {
            int j = i + 1 - prompt.length;                             // sampled thought token predicted here
            double[] v = j >= 0 && j < thLogp.length
                    ? new double[] {1, 0, adv.thoughtAdvantage(k), thLogp[j], 1.0 / thLogp.length}
                    : new double[5];
            row.add(prefix[i], prefix[i + 1], i, -1, v);
        }
        for (int m = 0; m < thought.answers().size(); m++) {
            AnswerRollout answer = thought.answers().get(m);
            int[] a = answer.tokens();
            double[] logp = answer.logProbs();
            double ansAdv = adv.answerAdvantage(k, m);
            for (int j = 0; j < a.length; j++) {
                int token = j == 0 ? prefix[open] : a[j - 1];
                row.add(token, a[j], open + j, m, new double[] {0, 1, ansAdv, logp[j], 1.0 / a.length});
            }
        }
        return row;
    }

    private INDArray floats(double[][] v) {
        return Nd4j.createFromArray(v).castTo(dataType);
    }
}
