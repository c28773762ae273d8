package io.github.dl4jgrpoma.algo;

/**
 * The GRPO-MA computation shared by {@code grpo-ma} (std-scaled) and {@code dr-grpo} (centred only).
 * Package-private: users go through the estimators.
 */
final class MultiAnswerAdvantages {
    private MultiAnswerAdvantages() {
    }

    /**
     * @param rewards     validated {@code K x M} rewards
     * @param cfg         options
     * @param scaleByStd  true: per group as {@link AdvantageConfig#scaleRewards()} says (GROUP divides by the group
     *                    std, BATCH and NONE centre; BATCH divides later in {@link RewardScaling#finishBatch});
     *                    false: {@code x - mean} whatever the option
     */
    static Advantages compute(double[][] rewards, AdvantageConfig cfg, boolean scaleByStd) {
        int k = rewards.length;
        int m = rewards[0].length;
        StdConvention conv = cfg.stdConvention();
        double[] values = new double[k];
        double[] flat = new double[k * m];
        for (int i = 0; i < k; i++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                sum += rewards[i][j];
                flat[i * m + j] = rewards[i][j];
            }
            values[i] = sum / m;
        }
        // thought values are means of rewards: their rounding is relative to the rewards' scale
        double rewardScale = GroupStats.scale(flat);
        double[] thoughtAdv = group(values, cfg, scaleByStd, rewardScale);
        double[][] answerAdv = new double[k][];
        int zeroGroups = 0;
        int groups;
        if (cfg.answerNormalization() == AnswerNormalization.PROMPT) {
            groups = 1;
            double[] a = group(flat, cfg, scaleByStd, rewardScale);
            for (int i = 0; i < k; i++) {
                answerAdv[i] = new double[m];
                System.arraycopy(a, i * m, answerAdv[i], 0, m);
            }
            zeroGroups = GroupStats.allEqual(flat, rewardScale) ? 1 : 0;
        } else {
            groups = k;
            for (int i = 0; i < k; i++) {
                answerAdv[i] = group(rewards[i], cfg, scaleByStd, GroupStats.scale(rewards[i]));
                if (GroupStats.allEqual(rewards[i])) {
                    zeroGroups++;
                }
            }
        }
        return new Advantages(thoughtAdv, answerAdv, values, GroupStats.std(values, conv, rewardScale),
                GroupStats.std(flat, conv, rewardScale), GroupStats.allEqual(values, rewardScale), zeroGroups, groups);
    }

    private static double[] group(double[] x, AdvantageConfig cfg, boolean scaleByStd, double scale) {
        return scaleByStd ? cfg.scaleRewards().perGroup(x, cfg.stdConvention(), cfg.delta(), scale)
                : GroupStats.center(x, scale);
    }
}
