package io.github.dl4jgrpoma.examples.math;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.StudyTable;
import io.github.dl4jgrpoma.examples.plot.LinePlot;
import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * Aggregates study runs (shape x seed) into a markdown table and plots.
 *
 * <p>Definitions: accuracy is held-out greedy accuracy; "to target" is the first periodic evaluation at or
 * above the target accuracy (steps and RL wall-clock seconds, evaluation excluded; averaged over the seeds
 * that reached it); time per step is the mean of the trainer's {@code time/rollout_ms} and
 * {@code time/update_ms}; a gradient spike is a step whose {@code grad_spike_score} (grad norm over the median
 * of the previous 10 steps' norms) exceeds {@value #SPIKE_THRESHOLD}.
 */
public final class StudyReport {
    /** Spike-score threshold of the spike count. */
    public static final double SPIKE_THRESHOLD = 2.0;

    private final Map<String, List<MathResult>> byShape = new LinkedHashMap<>();

    /** Adds a finished run under its shape name. */
    public void add(String shape, MathResult r) {
        byShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(r);
    }

    /** Mean held-out greedy accuracy after SFT over all runs (the common starting point). */
    public double sftAccuracy() {
        return mean(all().stream().mapToDouble(r -> r.heldOutBefore().greedyAccuracy()).toArray());
    }

    /** Default target: halfway from the SFT accuracy to the best shape's mean final accuracy. */
    public double defaultTarget() {
        double best = Double.NEGATIVE_INFINITY;
        for (List<MathResult> rs : byShape.values()) {
            best = Math.max(best, mean(rs.stream().mapToDouble(r -> r.heldOutAfter().greedyAccuracy()).toArray()));
        }
        double sft = sftAccuracy();
        return sft + 0.5 * Math.max(0, best - sft);
    }

    /** The markdown table. */
    public String markdown(double target) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "Held-out greedy accuracy after SFT (shared start): %.3f. Target accuracy: %.3f.%n%n", sftAccuracy(), target));
        sb.append("| run | estimator | answers/prompt | seeds | held-out acc (mean ± sd) | min..max | gain over SFT | "
                + "pass@1 | OOD acc | steps to target | s to target | rollout s/step | update s/step | spikes > "
                + SPIKE_THRESHOLD + " (per run) | max spike |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<MathResult>> e : byShape.entrySet()) {
            List<MathResult> rs = e.getValue();
            MathSettings s = rs.get(0).settings();
            double[] acc = rs.stream().mapToDouble(r -> r.heldOutAfter().greedyAccuracy()).toArray();
            double[] gain = rs.stream().mapToDouble(r -> r.heldOutAfter().greedyAccuracy() - r.heldOutBefore().greedyAccuracy())
                    .toArray();
            double[] pass = rs.stream().mapToDouble(r -> r.heldOutAfter().sampledPass1()).toArray();
            double[] ood = rs.stream().mapToDouble(r -> r.oodAfter().greedyAccuracy()).toArray();
            List<Double> steps = new ArrayList<>();
            List<Double> secs = new ArrayList<>();
            for (MathResult r : rs) {
                for (EvalPoint p : r.evalCurve()) {
                    if (p.greedyAccuracy() >= target) {
                        steps.add((double) p.step());
                        secs.add(p.trainSeconds());
                        break;
                    }
                }
            }
            double spikes = 0;
            double maxSpike = Double.NaN;
            for (MathResult r : rs) {
                for (StepEvent ev : r.rlSteps()) {
                    Double g = ev.metrics().get("grad_spike_score");
                    if (g != null && Double.isFinite(g)) {
                        spikes += g > SPIKE_THRESHOLD ? 1 : 0;
                        maxSpike = Double.isNaN(maxSpike) ? g : Math.max(maxSpike, g);
                    }
                }
            }
            String reached = steps.isEmpty() ? "not reached" : String.format(Locale.ROOT, "%.0f (%d/%d)",
                    mean(steps.stream().mapToDouble(Double::doubleValue).toArray()), steps.size(), rs.size());
            String reachedSecs = secs.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f",
                    mean(secs.stream().mapToDouble(Double::doubleValue).toArray()));
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s | %d | %d | %.3f ± %.3f | %.3f..%.3f | %+.3f | %s | %.3f | %s | %s | %.2f | %.2f | %.1f | %s |%n",
                    e.getKey(), s.estimator(), s.thoughts() * s.answers(), rs.size(), mean(acc), sd(acc), min(acc), max(acc),
                    mean(gain), ReportText.score(mean(pass)), mean(ood), reached, reachedSecs,
                    mean(rs.stream().mapToDouble(r -> r.meanMetric("time/rollout_ms")).toArray()) / 1000,
                    mean(rs.stream().mapToDouble(r -> r.meanMetric("time/update_ms")).toArray()) / 1000,
                    spikes / rs.size(), ReportText.format("%.2f", maxSpike)));
        }
        return sb.toString();
    }

    /** Held-out accuracy during RL (mean over seeds) per shape, and the training reward, as PNGs. */
    public void writePlots(Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        LinePlot acc = new LinePlot("Held-out greedy accuracy during RL (mean over seeds)", "RL step", "accuracy");
        LinePlot reward = new LinePlot("Training reward (mean over seeds)", "RL step", "reward/mean");
        for (Map.Entry<String, List<MathResult>> e : byShape.entrySet()) {
            List<MathResult> rs = e.getValue();
            int n = rs.stream().mapToInt(r -> r.evalCurve().size()).min().orElse(0);
            double[] x = new double[n + 1];
            double[] y = new double[n + 1];
            for (MathResult r : rs) {
                y[0] += r.heldOutBefore().greedyAccuracy() / rs.size();      // step 0: the SFT policy
            }
            for (int i = 0; i < n; i++) {
                x[i + 1] = rs.get(0).evalCurve().get(i).step();
                for (MathResult r : rs) {
                    y[i + 1] += r.evalCurve().get(i).greedyAccuracy() / rs.size();
                }
            }
            acc.add(e.getKey(), x, y);
            int steps = rs.stream().mapToInt(r -> r.rlSteps().size()).min().orElse(0);
            double[] sx = new double[steps];
            double[] sy = new double[steps];
            for (int i = 0; i < steps; i++) {
                sx[i] = i + 1;
                for (MathResult r : rs) {
                    sy[i] += r.series("reward/mean")[1][i] / rs.size();
                }
            }
            reward.add(e.getKey(), sx, sy);
        }
        acc.writePng(dir.resolve("study_accuracy.png"));
        reward.writePng(dir.resolve("study_reward.png"));
    }

    private List<MathResult> all() {
        List<MathResult> out = new ArrayList<>();
        byShape.values().forEach(out::addAll);
        return out;
    }

    static double mean(double[] x) {
        return StudyTable.mean(x);
    }

    static double sd(double[] x) {
        return StudyTable.sd(x);
    }

    private static double min(double[] x) {
        return StudyTable.min(x);
    }

    private static double max(double[] x) {
        return StudyTable.max(x);
    }
}
