package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.dl4jgrpoma.examples.plot.LinePlot;
import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * The table and reward plot of a study over shapes and seeds, for tasks other than math (whose
 * {@code StudyReport} adds periodic-evaluation columns).
 *
 * <p>Definitions: "gain" is the held-out greedy score after RL minus that of the run's SFT start (the same
 * policy for every shape of a seed); its spread is max - min over the seeds; a gradient spike is a step whose
 * {@code grad_spike_score} (grad norm over the median of the previous 10 steps' norms) exceeds
 * {@value #SPIKE_THRESHOLD}; time per step is the mean of the trainer's {@code time/rollout_ms} and
 * {@code time/update_ms}. A score that was not measured (sampled scores with {@code --eval-samples 0}; the max
 * spike of runs too short for a spike score) shows as {@value ReportText#NOT_MEASURED}.
 */
public final class StudyTable {
    /** Spike-score threshold of the spike count. */
    public static final double SPIKE_THRESHOLD = 2.0;

    private final String scoreName;
    private final String sampledName;
    private final Map<String, List<StudyRun>> byShape = new LinkedHashMap<>();

    /**
     * @param scoreName   name of the greedy score, e.g. {@code sum accuracy} or {@code mean IoU}
     * @param sampledName name of the sampled score, e.g. {@code pass@1}
     */
    public StudyTable(String scoreName, String sampledName) {
        this.scoreName = scoreName;
        this.sampledName = sampledName;
    }

    /** Adds a finished run. */
    public void add(StudyRun r) {
        byShape.computeIfAbsent(r.shape(), k -> new ArrayList<>()).add(r);
    }

    /** The markdown table (one row per shape, means over seeds). */
    public String markdown() {
        List<StudyRun> all = new ArrayList<>();
        byShape.values().forEach(all::addAll);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Held-out greedy %s of the SFT start (mean over seeds): %.3f; sampled %s %s.%n%n",
                scoreName, mean(all.stream().mapToDouble(StudyRun::before).toArray()), sampledName,
                ReportText.score(mean(all.stream().mapToDouble(StudyRun::sampledBefore).toArray()))));
        sb.append("| run | estimator | answers/prompt | seeds | greedy ").append(scoreName).append(" (mean ± sd) | gain over SFT"
                + " (per seed) | mean gain | gain spread (max-min) | sampled ").append(sampledName).append(" | rollout s/step | "
                + "update s/step | spikes > ").append(SPIKE_THRESHOLD).append(" (per run) | max spike |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<StudyRun>> e : byShape.entrySet()) {
            List<StudyRun> rs = e.getValue();
            double[] after = rs.stream().mapToDouble(StudyRun::after).toArray();
            double[] gain = rs.stream().mapToDouble(StudyRun::gain).toArray();
            List<String> perSeed = rs.stream().map(r -> String.format(Locale.ROOT, "%+.3f", r.gain())).toList();
            double spikes = 0;
            double maxSpike = Double.NaN;
            for (StudyRun r : rs) {
                for (StepEvent ev : r.rlSteps()) {
                    Double g = ev.metrics().get("grad_spike_score");
                    if (g != null && Double.isFinite(g)) {
                        spikes += g > SPIKE_THRESHOLD ? 1 : 0;
                        maxSpike = Double.isNaN(maxSpike) ? g : Math.max(maxSpike, g);
                    }
                }
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.3f ± %.3f | %s | %+.3f | %.3f | %s | %.2f | %.2f | %.1f | %s |%n",
                    e.getKey(), rs.get(0).estimator(), rs.get(0).answers(), rs.size(), mean(after), sd(after),
                    String.join(", ", perSeed), mean(gain), max(gain) - min(gain),
                    ReportText.score(mean(rs.stream().mapToDouble(StudyRun::sampledAfter).toArray())),
                    mean(rs.stream().mapToDouble(r -> r.meanMetric("time/rollout_ms")).toArray()) / 1000,
                    mean(rs.stream().mapToDouble(r -> r.meanMetric("time/update_ms")).toArray()) / 1000,
                    spikes / rs.size(), ReportText.format("%.2f", maxSpike)));
        }
        return sb.toString();
    }

    /** Training reward per RL step (mean over seeds) per shape, as {@code study_reward.png}. */
    public void writeRewardPlot(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        LinePlot reward = new LinePlot("Training reward (mean over seeds)", "RL step", "reward/mean");
        for (Map.Entry<String, List<StudyRun>> e : byShape.entrySet()) {
            List<StudyRun> rs = e.getValue();
            int steps = rs.stream().mapToInt(r -> r.rlSteps().size()).min().orElse(0);
            double[] x = new double[steps];
            double[] y = new double[steps];
            for (int i = 0; i < steps; i++) {
                x[i] = i + 1;
                for (StudyRun r : rs) {
                    y[i] += r.rlSteps().get(i).metrics().getOrDefault("reward/mean", Double.NaN) / rs.size();
                }
            }
            reward.add(e.getKey(), x, y);
        }
        reward.writePng(dir.resolve("study_reward.png"));
    }

    /** Mean of the finite values (NaN if none). */
    public static double mean(double[] x) {
        double s = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Sample standard deviation of the finite values (0 for fewer than two). */
    public static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isFinite(v)) {
                s += (v - m) * (v - m);
                n++;
            }
        }
        return n < 2 ? 0 : Math.sqrt(s / (n - 1));
    }

    /** Smallest value. */
    public static double min(double[] x) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** Largest value. */
    public static double max(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        return m;
    }
}
