package io.github.dl4jgrpoma.reward;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable result of a {@link RewardScorer}: for a group of {@code rows x cols} samples (K thoughts x M
 * answers for {@link RewardScorer#scoreGroup}; 1 x N for {@link RewardScorer#scoreList}) the weighted
 * totals {@code R[k][m] = sum_i w_i r_i[k][m]}, every reward's raw scores {@code r_i[k][m]} (after
 * substitution), and how many samples each reward failed on.
 *
 * <p>All array accessors return copies.
 */
public final class RewardScores {
    private final double[][] totals;
    private final Map<String, double[][]> perReward;
    private final Map<String, Integer> failureCounts;

    /**
     * @param totals        the weighted totals, rectangular
     * @param perReward     reward name to raw scores of the same shape, in composite order
     * @param failureCounts reward name to failure count, same keys as {@code perReward}
     */
    public RewardScores(double[][] totals, Map<String, double[][]> perReward, Map<String, Integer> failureCounts) {
        this.totals = deepCopy(totals);
        Map<String, double[][]> per = new LinkedHashMap<>();
        perReward.forEach((k, v) -> {
            if (v.length != totals.length || (v.length > 0 && v[0].length != totals[0].length)) {
                throw new IllegalArgumentException("scores of reward '" + k + "' have a different shape than the totals");
            }
            per.put(k, deepCopy(v));
        });
        if (!failureCounts.keySet().equals(per.keySet())) {
            throw new IllegalArgumentException("failureCounts keys " + failureCounts.keySet()
                    + " differ from reward names " + per.keySet());
        }
        this.perReward = Collections.unmodifiableMap(per);
        this.failureCounts = Collections.unmodifiableMap(new LinkedHashMap<>(failureCounts));
    }

    /** Number of rows (K for a group). */
    public int rows() {
        return totals.length;
    }

    /** Number of columns (M for a group). */
    public int cols() {
        return totals.length == 0 ? 0 : totals[0].length;
    }

    /** A copy of the weighted totals {@code [rows][cols]}. */
    public double[][] totals() {
        return deepCopy(totals);
    }

    /** The weighted total of one sample. */
    public double total(int row, int col) {
        return totals[row][col];
    }

    /** Reward names in composite order. */
    public List<String> rewardNames() {
        return List.copyOf(perReward.keySet());
    }

    /**
     * A copy of one reward's raw scores.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public double[][] perReward(String name) {
        return deepCopy(require(name));
    }

    /** One reward's raw score of one sample. */
    public double score(String name, int row, int col) {
        return require(name)[row][col];
    }

    /** Reward name to number of failed (substituted) samples, every name present. */
    public Map<String, Integer> failureCounts() {
        return failureCounts;
    }

    /** Sum of all failure counts. */
    public int totalFailures() {
        return failureCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Metrics of this group in a fixed order; the same as {@link #pooledMetrics(List)} of this group alone.
     */
    public Map<String, Double> metrics() {
        return pooledMetrics(List.of(this));
    }

    /**
     * Metrics over the samples of several groups pooled together (e.g. all prompts of a batch), in a
     * fixed order: for every reward {@code rewards/<name>/mean}, {@code rewards/<name>/std} and
     * {@code rewards/<name>/failures} (sum), then {@code reward/mean} and {@code reward/std} of the
     * totals. Means and standard deviations are over all pooled samples; std is the population std
     * (divide by n).
     *
     * @throws IllegalArgumentException if the list is empty or the groups have different reward names
     */
    public static Map<String, Double> pooledMetrics(List<RewardScores> groups) {
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("groups is empty; fix: pass the scores of at least one group");
        }
        List<String> names = groups.get(0).rewardNames();
        for (RewardScores g : groups) {
            if (!g.rewardNames().equals(names)) {
                throw new IllegalArgumentException("groups were scored with different rewards: " + names + " vs "
                        + g.rewardNames() + "; fix: score every group with the same RewardScorer");
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : names) {
            double[][] pooled = pool(groups, g -> g.perReward.get(name));
            m.put("rewards/" + name + "/mean", mean(pooled));
            m.put("rewards/" + name + "/std", std(pooled));
            m.put("rewards/" + name + "/failures",
                    (double) groups.stream().mapToInt(g -> g.failureCounts.get(name)).sum());
        }
        double[][] totals = pool(groups, g -> g.totals);
        m.put("reward/mean", mean(totals));
        m.put("reward/std", std(totals));
        return Collections.unmodifiableMap(m);
    }

    /** The rows of every group, one after another (widths may differ between groups). */
    private static double[][] pool(List<RewardScores> groups, java.util.function.Function<RewardScores, double[][]> f) {
        return groups.stream().flatMap(g -> java.util.Arrays.stream(f.apply(g))).toArray(double[][]::new);
    }

    private double[][] require(String name) {
        double[][] s = perReward.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown reward '" + name + "'; known: " + perReward.keySet());
        }
        return s;
    }

    private static double mean(double[][] a) {
        double sum = 0;
        int n = 0;
        for (double[] row : a) {
            for (double v : row) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double std(double[][] a) {
        double mu = mean(a);
        double sq = 0;
        int n = 0;
        for (double[] row : a) {
            for (double v : row) {
                sq += (v - mu) * (v - mu);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sq / n);
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Override
    public String toString() {
        return "RewardScores{" + rows() + "x" + cols() + ", " + metrics() + "}";
    }
}
