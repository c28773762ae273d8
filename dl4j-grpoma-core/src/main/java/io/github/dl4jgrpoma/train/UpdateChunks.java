package io.github.dl4jgrpoma.train;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.loss.BnpoAggregation;
import io.github.dl4jgrpoma.loss.ConstantAggregation;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.SequenceMeanAggregation;
import io.github.dl4jgrpoma.loss.TokenMeanAggregation;

/**
 * Splits a packed batch into chunks of whole prompts whose weighted losses sum exactly to the loss of the whole
 * batch, so the update can run chunk by chunk (less memory) and on several threads. Pure.
 *
 * <p>With {@code L_c} the loss of chunk {@code c} computed on its rows alone, {@code L = sum_c w_c L_c} holds for
 * the built-in aggregations with
 * <ul>
 *   <li>{@code token-mean}: {@code w_c = (loss tokens of c) / (loss tokens)};</li>
 *   <li>{@code bnpo}: {@code w_c = 1 / (number of chunks)}: each chunk is one local batch normalised by its own
 *       loss tokens (BNPO's definition, so here the loss does depend on the chunk size);</li>
 *   <li>{@code constant}: {@code w_c = 1} with a fixed normaliser, {@code rows_c / R} with the automatic
 *       {@code C = R x T};</li>
 *   <li>{@code sequence-mean}: {@code w_c = n_ans,c / N_ans}, which is exact only if it also equals
 *       {@code n_th,c / N_th} (n = rows with at least one token of that mask). Chunks of whole prompts of equal
 *       K x M trees satisfy it; otherwise the batch stays one chunk.</li>
 * </ul>
 * Any other aggregation keeps one chunk. The metric weights ({@code tokenWeight}) are the chunks' shares of the loss
 * tokens, which makes token means such as {@code kl} and {@code entropy} exact as well.
 */
final class UpdateChunks {
    /** Rows {@code [start, end)}, the weight of its loss and gradient, and its share of the loss tokens. */
    record Chunk(int start, int end, double lossWeight, double tokenWeight) {
        int rows() {
            return end - start;
        }
    }

    private UpdateChunks() {
    }

    /**
     * @param rowPrompt   prompt of every row (rows of a prompt are contiguous)
     * @param thoughtRows thought-mask tokens of every row
     * @param answerRows  answer-mask tokens of every row
     * @param aggregation the loss aggregation name
     * @param loss        the loss configuration
     * @param maxRows     rows per chunk, at least one whole prompt; {@code >= R} gives one chunk
     */
    static List<Chunk> plan(int[] rowPrompt, double[] thoughtRows, double[] answerRows, String aggregation,
                            LossConfig loss, int maxRows) {
        return plan(rowPrompt, thoughtRows, answerRows, indicators(thoughtRows), indicators(answerRows), aggregation, loss,
                maxRows);
    }

    /**
     * As {@link #plan(int[], double[], double[], String, LossConfig, int)} for rows that may hold several sequences
     * (tree rows): {@code n} above counts sequences.
     *
     * @param thoughtSequences thought sequences of every row
     * @param answerSequences  answer sequences of every row
     */
    static List<Chunk> plan(int[] rowPrompt, double[] thoughtRows, double[] answerRows, double[] thoughtSequences,
                            double[] answerSequences, String aggregation, LossConfig loss, int maxRows) {
        int r = rowPrompt.length;
        List<int[]> ranges = ranges(rowPrompt, maxRows);
        double tokens = 0;
        double thRows = 0;
        double ansRows = 0;
        for (int i = 0; i < r; i++) {
            tokens += thoughtRows[i] + answerRows[i];
            thRows += thoughtSequences[i];
            ansRows += answerSequences[i];
        }
        if (ranges.size() == 1 || tokens == 0) {
            return List.of(new Chunk(0, r, 1.0, 1.0));
        }
        List<Chunk> out = new ArrayList<>();
        for (int[] range : ranges) {
            double tok = 0;
            double th = 0;
            double ans = 0;
            for (int i = range[0]; i < range[1]; i++) {
                tok += thoughtRows[i] + answerRows[i];
                th += thoughtSequences[i];
                ans += answerSequences[i];
            }
            double w;
            switch (aggregation) {
                case TokenMeanAggregation.NAME -> w = tok / tokens;
                case BnpoAggregation.NAME -> w = 1.0 / ranges.size();
                case ConstantAggregation.NAME -> w = loss.constantNormalizer() > 0 ? 1.0 : (double) (range[1] - range[0]) / r;
                case SequenceMeanAggregation.NAME -> {
                    w = ansRows > 0 ? ans / ansRows : th / thRows;
                    if (thRows > 0 && Math.abs(th / thRows - w) > 1e-12 || ansRows > 0 && Math.abs(ans / ansRows - w) > 1e-12) {
                        return List.of(new Chunk(0, r, 1.0, 1.0));
                    }
                }
                default -> {
                    return List.of(new Chunk(0, r, 1.0, 1.0));
                }
            }
            out.add(new Chunk(range[0], range[1], w, tok / tokens));
        }
        return out;
    }

    private static double[] indicators(double[] tokens) {
        double[] out = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            out[i] = tokens[i] > 0 ? 1 : 0;
        }
        return out;
    }

    /** Contiguous row ranges of whole prompts, each as large as possible without exceeding maxRows (at least one prompt). */
    private static List<int[]> ranges(int[] rowPrompt, int maxRows) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < rowPrompt.length) {
            int j = i;
            while (j < rowPrompt.length && rowPrompt[j] == rowPrompt[i]) {
                j++;
            }
            if (j - start > maxRows && i > start) {
                out.add(new int[] {start, i});
                start = i;
            }
            i = j;
        }
        out.add(new int[] {start, rowPrompt.length});
        return out;
    }
}
