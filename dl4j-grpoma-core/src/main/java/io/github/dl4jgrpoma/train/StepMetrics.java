package io.github.dl4jgrpoma.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.algo.Advantages;
import io.github.dl4jgrpoma.algo.GroupStats;
import io.github.dl4jgrpoma.algo.StdConvention;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/** Computes the rollout, reward and advantage metrics of a step (see {@link GrpoMaTrainer} for the names). */
public final class StepMetrics {
    private StepMetrics() {
    }

    /** Reward metrics ({@code RewardScores.pooledMetrics}) then {@code accuracy}. */
    public static void rewards(Map<String, Double> out, List<RewardScores> scores, double threshold, String accuracyReward) {
        out.putAll(RewardScores.pooledMetrics(scores));
        long correct = 0;
        long total = 0;
        for (RewardScores s : scores) {
            for (int r = 0; r < s.rows(); r++) {
                for (int c = 0; c < s.cols(); c++) {
                    double v = accuracyReward.isEmpty() ? s.total(r, c) : s.score(accuracyReward, r, c);
                    correct += v >= threshold ? 1 : 0;
                    total++;
                }
            }
        }
        out.put("accuracy", (double) correct / total);
    }

    /** Thought-value spread, pooled advantage stds and zero-std fractions. */
    public static void advantages(Map<String, Double> out, List<Advantages> advantages) {
        double valueStd = 0;
        double[] th = new double[0];
        double[] ans = new double[0];
        long zeroThought = 0;
        long zeroAnswer = 0;
        long answerGroups = 0;
        for (Advantages a : advantages) {
            valueStd += a.thoughtValueStd();
            th = concat(th, a.thoughtAdvantages());
            for (double[] row : a.answerAdvantages()) {
                ans = concat(ans, row);
            }
            zeroThought += a.thoughtGroupZeroStd() ? 1 : 0;
            zeroAnswer += a.zeroStdAnswerGroups();
            answerGroups += a.answerGroups();
        }
        out.put("thought_value/std", valueStd / advantages.size());
        out.put("adv/thought_std", GroupStats.std(th, StdConvention.POPULATION));
        out.put("adv/answer_std", GroupStats.std(ans, StdConvention.POPULATION));
        out.put("zero_std_frac/thought", (double) zeroThought / advantages.size());
        out.put("zero_std_frac/answer", (double) zeroAnswer / answerGroups);
    }

    /** Mean lengths and truncation fractions of thoughts and answers. */
    public static void lengths(Map<String, Double> out, RolloutBatch batch) {
        long thoughts = 0;
        long thoughtTokens = 0;
        long thoughtTrunc = 0;
        long answers = 0;
        long answerTokens = 0;
        long answerTrunc = 0;
        for (PromptRollout p : batch.prompts()) {
            for (ThoughtRollout t : p.thoughts()) {
                thoughts++;
                thoughtTokens += t.length();
                thoughtTrunc += t.truncated() ? 1 : 0;
                for (AnswerRollout a : t.answers()) {
                    answers++;
                    answerTokens += a.length();
                    answerTrunc += a.truncated() ? 1 : 0;
                }
            }
        }
        out.put("len/thought", (double) thoughtTokens / thoughts);
        out.put("len/answer", (double) answerTokens / answers);
        out.put("truncated_frac/thought", (double) thoughtTrunc / thoughts);
        out.put("truncated_frac/answer", (double) answerTrunc / answers);
    }

    /** Averages of the update outputs over the inner epochs, keyed by metric name. */
    public static Map<String, Double> mean(List<Map<String, Double>> perEpoch) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Double> m : perEpoch) {
            m.forEach((k, v) -> out.merge(k, v / perEpoch.size(), Double::sum));
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
