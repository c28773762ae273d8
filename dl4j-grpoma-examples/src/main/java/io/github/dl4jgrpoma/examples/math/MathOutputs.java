package io.github.dl4jgrpoma.examples.math;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.TrainingPlots;
import io.github.dl4jgrpoma.examples.plot.LinePlot;

/** Writes a math run's plots, samples and summary next to its metrics files. */
final class MathOutputs {
    private MathOutputs() {
    }

    static void write(MathResult r, Path dir, String samples) throws IOException {
        TrainingPlots.writeRewardAndGradNorm(r.rlSteps(), r.settings().shape(), dir);
        LinePlot accuracy = new LinePlot("Held-out greedy accuracy", "RL step", "accuracy");
        if (!r.evalCurve().isEmpty()) {
            double[] x = r.evalCurve().stream().mapToDouble(EvalPoint::step).toArray();
            double[] y = r.evalCurve().stream().mapToDouble(EvalPoint::greedyAccuracy).toArray();
            accuracy.add("held-out greedy", x, y);
        }
        long last = r.rlSteps().isEmpty() ? 0 : r.rlSteps().get(r.rlSteps().size() - 1).step();
        accuracy.add("before RL / after RL", new double[] {0, last},
                new double[] {r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy()});
        accuracy.writePng(dir.resolve("accuracy.png"));
        AtomicFiles.writeString(dir.resolve("samples.txt"), samples);
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary(r));
    }

    static String summary(MathResult r) {
        MathSettings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "GRPO-MA math run %s, estimator %s, seed %d, thought style %s%n", s.shape(),
                s.estimator(), s.seed(), s.thoughtStyle().cliName()));
        sb.append(String.format(Locale.ROOT, "model: width %d, %d layers, %d heads, max length %d; loss %s, w_th %s%n",
                s.width(), s.layers(), s.heads(), s.maxLength(), s.aggregation(), s.thoughtWeight()));
        sb.append(ReportText.timings(s.sftSteps(), r.sftSeconds(), r.rlSteps().size(), r.rlSeconds()))
                .append(System.lineSeparator());
        sb.append("rollouts: ").append(s.rollouts().describe(s.promptsPerStep(), 0)).append("; old log-probs ").append(s.rollouts().oldLogProbs())
                .append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", "", "after SFT", "after RL"));
        row(sb, "held-out greedy accuracy", r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy());
        row(sb, "held-out sampled pass@1", r.heldOutBefore().sampledPass1(), r.heldOutAfter().sampledPass1());
        row(sb, "OOD (" + (s.task().maxDigits() + 1) + " digits) greedy accuracy", r.oodBefore().greedyAccuracy(),
                r.oodAfter().greedyAccuracy());
        row(sb, "OOD sampled pass@1", r.oodBefore().sampledPass1(), r.oodAfter().sampledPass1());
        sb.append(String.format(Locale.ROOT, "(%d held-out and %d OOD problems, disjoint from training%s)%n",
                r.heldOutAfter().problems(), r.oodAfter().problems(),
                s.evalSamples() == 0 ? "; pass@1 not measured (--eval-samples 0)" : ""));
        sb.append("greedy examples after RL:").append(System.lineSeparator());
        for (String e : r.heldOutAfter().examples()) {
            sb.append("  ").append(e).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double before, double after) {
        sb.append(ReportText.beforeAfter(34, name, before, after));
    }
}
