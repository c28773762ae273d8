package io.github.dl4jgrpoma.examples.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.TrainingPlots;

/** Writes an image run's plots, samples and summary next to its metrics files. */
final class ImageOutputs {
    private ImageOutputs() {
    }

    static void write(ImageResult r, Path dir, String samples) throws IOException {
        TrainingPlots.writeRewardAndGradNorm(r.rlSteps(), r.settings().shape(), dir);
        AtomicFiles.writeString(dir.resolve("samples.txt"), samples);
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary(r));
    }

    static String summary(ImageResult r) {
        ImageSettings s = r.settings();
        ImageTask t = s.imageTask();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "GRPO-MA image run %s, task %s, estimator %s, seed %d%n", s.shape(), t.name(),
                s.estimator(), s.seed()));
        sb.append(String.format(Locale.ROOT, "model: %s encoder (%s), width %d, %d layers, %d heads, %d text positions%n",
                s.encoder(), s.visionEncoder(), s.width(), s.layers(), s.heads(), s.maxLength()));
        sb.append(String.format(Locale.ROOT, "%s; encoder ran on %.1f images per RL step for rollout and update (%s x %s x"
                        + " %s)%n", ReportText.timings(s.sftSteps(), r.sftSeconds(), r.rlSteps().size(), r.rlSeconds()),
                r.imagesEncodedPerStep(), ReportText.count(s.promptsPerStep(), "prompt"), ReportText.count(s.thoughts(), "thought"),
                ReportText.count(s.answers(), "answer")));
        sb.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", "MNIST test split", "after SFT", "after RL"));
        row(sb, "greedy reading accuracy", r.before().readingAccuracy(), r.after().readingAccuracy());
        row(sb, "greedy " + t.scoreName(), r.before().greedyScore(), r.after().greedyScore());
        row(sb, "sampled " + (t instanceof DigitSumTask ? "pass@1" : t.scoreName()), r.before().sampledScore(),
                r.after().sampledScore());
        sb.append(s.evalSamples() == 0 ? String.format(Locale.ROOT, "(%d test-split problems; sampled row not measured"
                + " (--eval-samples 0))%n", r.after().problems()) : String.format(Locale.ROOT,
                "(%d test-split problems, %d samples each for the sampled row)%n", r.after().problems(), s.evalSamples()));
        sb.append("greedy examples after RL:").append(System.lineSeparator());
        for (String e : r.after().examples()) {
            sb.append("  ").append(e).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double before, double after) {
        sb.append(ReportText.beforeAfter(34, name, before, after));
    }
}
