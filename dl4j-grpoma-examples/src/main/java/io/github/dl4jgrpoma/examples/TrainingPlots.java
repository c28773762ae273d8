package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.github.dl4jgrpoma.examples.plot.LinePlot;
import io.github.dl4jgrpoma.listener.StepEvent;

/** The training-curve plots every RL example writes: {@code reward.png} and {@code grad_norm.png}. */
public final class TrainingPlots {
    private TrainingPlots() {
    }

    /** Writes reward/mean and accuracy per RL step to {@code reward.png}, the gradient norm to {@code grad_norm.png}. */
    public static void writeRewardAndGradNorm(List<StepEvent> steps, String shape, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[][] reward = series(steps, "reward/mean");
        double[][] acc = series(steps, "accuracy");
        new LinePlot("GRPO-MA training reward (" + shape + ")", "RL step", "value")
                .add("reward/mean", reward[0], reward[1]).add("accuracy (sampled answers)", acc[0], acc[1])
                .writePng(dir.resolve("reward.png"));
        double[][] grad = series(steps, "grad_norm");
        new LinePlot("Gradient norm (before clipping)", "RL step", "global L2 norm")
                .add("grad_norm", grad[0], grad[1]).writePng(dir.resolve("grad_norm.png"));
    }

    /** Series of a metric over steps: {@code [steps[], values[]]} (NaN where a step lacks it). */
    public static double[][] series(List<StepEvent> steps, String name) {
        double[] x = new double[steps.size()];
        double[] y = new double[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            x[i] = steps.get(i).step();
            Double v = steps.get(i).metrics().get(name);
            y[i] = v == null ? Double.NaN : v;
        }
        return new double[][] {x, y};
    }
}
