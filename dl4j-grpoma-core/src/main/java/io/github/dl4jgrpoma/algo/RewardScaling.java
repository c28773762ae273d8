package io.github.dl4jgrpoma.algo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * What the centred values are divided by, at both GRPO-MA levels (thought values and answer rewards); TRL's
 * {@code scale_rewards} (group / batch / none). With {@code mean_g} the mean of the value's own group (the K thought
 * values, or the answers of its normalisation group, {@link AnswerNormalization}):
 * <pre>
 *   GROUP: a = (x - mean_g) / (std_g + delta)     std of the same group (GRPO, DeepSeekMath; the default)
 *   BATCH: a = (x - mean_g) / (std_B + delta)     std over the whole batch of every prompt: all thought values of
 *                                                 the batch for thought advantages, all answer rewards for answer
 *                                                 advantages (Hu et al., "REINFORCE++", arXiv 2501.03262, 2025;
 *                                                 TRL's scale_rewards="batch")
 *   NONE:  a = x - mean_g                         no std scaling (Dr. GRPO, Liu et al., arXiv 2503.20783, 2025)
 * </pre>
 * All-equal groups still get exactly 0 (centring gives 0). A batch of one prompt gives BATCH == GROUP when answers
 * are normalised over the prompt. The {@code dr-grpo} estimator never scales (it is {@code grpo-ma} with NONE) and
 * ignores this option. Pure functions: no IO, no randomness.
 */
public enum RewardScaling {
    /** Divide by the std of the value's own group (the default). */
    GROUP,
    /** Divide by the std over the whole batch. */
    BATCH,
    /** Do not divide (centre only). */
    NONE;

    /**
     * Parses a name in any case ({@code group}, {@code batch}, {@code none}, as TRL writes them).
     *
     * @throws IllegalArgumentException naming the value and the known names
     */
    @JsonCreator
    public static RewardScaling parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown reward scaling '" + name + "'; use group (default), batch or none");
        }
    }

    /** The default, {@link #GROUP}. */
    public static RewardScaling defaultScaling() {
        return GROUP;
    }

    /**
     * The per-group stage: {@link GroupStats#normalize} for GROUP, {@link GroupStats#center} for BATCH and NONE
     * (BATCH divides afterwards, in {@link #finishBatch}).
     */
    double[] perGroup(double[] values, StdConvention convention, double delta, double scale) {
        return this == GROUP ? GroupStats.normalize(values, convention, delta, scale) : GroupStats.center(values, scale);
    }

    /**
     * The batch stage: for BATCH, divides every prompt's centred thought advantages by {@code std(all thought values)
     * + delta} and its centred answer advantages by {@code std(all answer rewards) + delta}; GROUP and NONE return the
     * list unchanged. A zero denominator (every value of the batch equal, delta 0) leaves the centred values, which
     * are then all 0.
     *
     * @param perPrompt the per-prompt advantages from {@link #perGroup}
     * @param rewards   the same prompts' {@code K x M} rewards
     */
    List<Advantages> finishBatch(List<Advantages> perPrompt, double[][][] rewards, AdvantageConfig cfg) {
        if (this != BATCH || perPrompt.isEmpty()) {
            return perPrompt;
        }
        List<Double> values = new ArrayList<>();
        List<Double> answers = new ArrayList<>();
        for (int p = 0; p < perPrompt.size(); p++) {
            for (double v : perPrompt.get(p).thoughtValues()) {
                values.add(v);
            }
            for (double[] row : rewards[p]) {
                for (double r : row) {
                    answers.add(r);
                }
            }
        }
        double[] allAnswers = answers.stream().mapToDouble(Double::doubleValue).toArray();
        double rewardScale = GroupStats.scale(allAnswers);
        double thoughtDenominator = GroupStats.std(values.stream().mapToDouble(Double::doubleValue).toArray(),
                cfg.stdConvention(), rewardScale) + cfg.delta();
        double answerDenominator = GroupStats.std(allAnswers, cfg.stdConvention(), rewardScale) + cfg.delta();
        List<Advantages> out = new ArrayList<>(perPrompt.size());
        for (Advantages a : perPrompt) {
            double[] th = divide(a.thoughtAdvantages(), thoughtDenominator);
            double[][] ans = a.answerAdvantages();
            for (int i = 0; i < ans.length; i++) {
                ans[i] = divide(ans[i], answerDenominator);
            }
            out.add(new Advantages(th, ans, a.thoughtValues(), a.thoughtValueStd(), a.answerRewardStd(),
                    a.thoughtGroupZeroStd(), a.zeroStdAnswerGroups(), a.answerGroups()));
        }
        return List.copyOf(out);
    }

    private static double[] divide(double[] x, double denominator) {
        if (denominator == 0) {
            return x;
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / denominator;
        }
        return out;
    }
}
