package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.loss.BnpoAggregation;
import io.github.dl4jgrpoma.loss.ConstantAggregation;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.SequenceMeanAggregation;
import io.github.dl4jgrpoma.loss.TokenMeanAggregation;

/**
 * Per-token weights {@code n[r,t] >= 0} such that {@code L = -sum_{r,t} n[r,t] o[r,t]} is the aggregated GRPO loss
 * of {@link io.github.dl4jgrpoma.loss.GrpoLoss} for the built-in aggregations (the same formulas, written as weights
 * because a DL4J loss sees one position at a time). Pure arithmetic on 0/1 masks {@code [R][T]}.
 * <ul>
 *   <li>{@code sequence-mean}: thought {@code w_th / (max(1, th_r) max(1, rows with a thought))}, answer
 *       {@code 1 / (max(1, ans_r) max(1, rows with an answer))};</li>
 *   <li>{@code token-mean}: {@code (w_th th + ans) / max(1, sum th + sum ans)};</li>
 *   <li>{@code constant}: {@code (w_th th + ans) / C}, {@code C} = the configured normaliser or {@code max(1, R T)}.</li>
 * </ul>
 */
final class TokenWeights {
    private TokenWeights() {
    }

    /**
     * @throws IllegalArgumentException for an aggregation that is not built in (a user-registered aggregation is a
     *                                  SameDiff graph this module cannot turn into weights)
     */
    static double[][] of(double[][] thought, double[][] answer, LossConfig config) {
        int rows = thought.length;
        int t = rows == 0 ? 0 : thought[0].length;
        double wTh = config.thoughtWeight();
        double[][] w = new double[rows][t];
        switch (config.aggregation()) {
            case SequenceMeanAggregation.NAME -> {
                double[] thCount = new double[rows];
                double[] ansCount = new double[rows];
                int thRows = 0;
                int ansRows = 0;
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < t; i++) {
                        thCount[r] += thought[r][i];
                        ansCount[r] += answer[r][i];
                    }
                    thRows += thCount[r] > 0 ? 1 : 0;
                    ansRows += ansCount[r] > 0 ? 1 : 0;
                }
                for (int r = 0; r < rows; r++) {
                    double th = wTh / (Math.max(1, thCount[r]) * Math.max(1, thRows));
                    double ans = 1.0 / (Math.max(1, ansCount[r]) * Math.max(1, ansRows));
                    for (int i = 0; i < t; i++) {
                        w[r][i] = thought[r][i] * th + answer[r][i] * ans;
                    }
                }
            }
            case TokenMeanAggregation.NAME, BnpoAggregation.NAME, ConstantAggregation.NAME -> {
                double tokens = 0;
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < t; i++) {
                        tokens += thought[r][i] + answer[r][i];
                    }
                }
                // bnpo: each DL4J minibatch is one local batch, normalised by its own tokens like token-mean
                double norm = !config.aggregation().equals(ConstantAggregation.NAME) ? Math.max(1, tokens)
                        : config.constantNormalizer() > 0 ? config.constantNormalizer() : Math.max(1, (double) rows * t);
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < t; i++) {
                        w[r][i] = (wTh * thought[r][i] + answer[r][i]) / norm;
                    }
                }
            }
            default -> throw new IllegalArgumentException("LossConfig.aggregation = '" + config.aggregation()
                    + "' cannot be used in a DL4J pipeline; use one of " + SequenceMeanAggregation.NAME + ", "
                    + TokenMeanAggregation.NAME + ", " + BnpoAggregation.NAME + ", " + ConstantAggregation.NAME);
        }
        return w;
    }
}
