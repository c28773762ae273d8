package io.github.dl4jgrpoma.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.examples.ProcessMemory;

/** Prints the tables of {@code bench-step}: per configuration the split, then the ratios of the run. */
final class StepReport {
    /**
     * One configuration's medians; {@code torch} is null without the PyTorch peer, {@code other} and {@code javaOther}
     * (the interleaved second Java step: 1 update thread or the other backprop) without a comparison.
     */
    record Entry(StepSettings settings, StepTimes java, StepSettings other, StepTimes javaOther, StepTimes torch,
                 long torchPeakRssKb, String javaRss) {
    }

    private final PrintStream out;
    private final boolean withTorch;
    private final List<Entry> entries = new ArrayList<>();
    private String torchBanner;

    StepReport(PrintStream out, boolean withTorch) {
        this.out = out;
        this.withTorch = withTorch;
    }

    void torchBanner(String banner) {
        if (torchBanner == null) {
            out.println("PyTorch peer: " + banner + ", OMP_WAIT_POLICY=PASSIVE, steps interleaved with the Java steps");
        }
        torchBanner = banner;
    }

    void add(StepSettings s, Entry e) {
        entries.add(e);
        out.printf("%nd=%d %s (%d sampled tokens, update %d packed tokens%s; one row per answer would be %d rows x %d)%n",
                s.width(), s.shape(), e.java().sampledTokens(), e.java().updateTokens(),
                withTorch ? String.format(", PyTorch %d", (long) e.torch().updateTokens()) : "",
                s.prompts() * s.thoughts() * s.answers(), s.maxLength());
        out.printf("  %-18s %10s%s%n", "part", "Java s", withTorch ? String.format("  %10s  %12s", "PyTorch s", "Java/PyTorch") : "");
        List<String> rows = new ArrayList<>(StepTimes.PARTS);
        rows.add(StepTimes.STEP);
        rows.add(StepTimes.CPU);
        for (String part : rows) {
            double j = e.java().get(part);
            out.printf("  %-18s %10.4f%s%n", part.equals(StepTimes.STEP) ? "whole step" : part.equals(StepTimes.CPU) ? "step CPU seconds" : part, j, withTorch
                    ? String.format("  %10.4f  %12s", e.torch().get(part), ratio(j, e.torch().get(part))) : "");
        }
        out.printf("  %-18s %10.0f%s%n", "rollout tokens/s", e.java().sampledTokens() / e.java().get("rollout"),
                withTorch ? String.format("  %10.0f", e.torch().sampledTokens() / e.torch().get("rollout")) : "");
        out.printf("  %-18s %10.0f%s%n", "fwd+bwd tokens/s", e.java().updateTokens() / e.java().get("forward_backward"),
                withTorch ? String.format("  %10.0f", e.torch().updateTokens() / e.torch().get("forward_backward")) : "");
        if (e.javaOther() != null) {
            StepTimes one = e.javaOther();
            String other = variant(e.other(), s);
            String self = variant(s, e.other());
            out.printf("  Java with %s: whole step %.4f s, reference %.4f s, forward_backward %.4f s, step CPU %.4f s;"
                            + " %s / %s: whole step %s, update %s, step CPU %s%n", other, one.get(StepTimes.STEP),
                    one.get("reference"), one.get("forward_backward"), one.get(StepTimes.CPU),
                    self, other,
                    ratio(e.java().get(StepTimes.STEP), one.get(StepTimes.STEP)), ratio(update(e.java()), update(one)),
                    ratio(e.java().get(StepTimes.CPU), one.get(StepTimes.CPU)));
        }
        out.printf("  RSS: Java now %s%s%n", e.javaRss(), withTorch ? ", PyTorch peak " + e.torchPeakRssKb() + " kB" : "");
    }

    /** Whole-step and update ratios of the run, T4A4 / T16A1 per width, and peak RSS. */
    void summary() {
        out.println();
        out.println("summary (medians; update = reference + forward_backward + optimizer)");
        for (Entry e : entries) {
            StepSettings s = e.settings();
            out.printf("  d=%-4d %-6s whole step Java %.3f s%s  update Java %.3f s%s  rollout Java %.3f s%s%n",
                    s.width(), s.shape(), e.java().get(StepTimes.STEP),
                    withTorch ? String.format(" / PyTorch %.3f s = %s", e.torch().get(StepTimes.STEP),
                            ratio(e.java().get(StepTimes.STEP), e.torch().get(StepTimes.STEP))) : "",
                    update(e.java()), withTorch ? " (" + ratio(update(e.java()), update(e.torch())) + ")" : "",
                    e.java().get("rollout"), withTorch ? " (" + ratio(e.java().get("rollout"), e.torch().get("rollout")) + ")" : "");
        }
        for (int i = 0; i + 1 < entries.size(); i += 2) {
            Entry a = entries.get(i);
            Entry b = entries.get(i + 1);
            out.printf("  d=%-4d whole step %s / %s: Java %.2f%s%n", a.settings().width(), b.settings().shape(),
                    a.settings().shape(), b.java().get(StepTimes.STEP) / a.java().get(StepTimes.STEP), withTorch
                            ? String.format("  PyTorch %.2f", b.torch().get(StepTimes.STEP) / a.torch().get(StepTimes.STEP)) : "");
        }
        long torchPeak = entries.stream().mapToLong(Entry::torchPeakRssKb).max().orElse(0);
        out.printf("  peak RSS (VmHWM): Java %s%s%n", ProcessMemory.peakRss(),
                withTorch ? ", PyTorch " + torchPeak + " kB (largest of its processes)" : "");
    }

    /** What distinguishes {@code s} from {@code from}: its update threads, rollout threads or backprop. */
    private static String variant(StepSettings s, StepSettings from) {
        if (s.modelBackprop() != from.modelBackprop()) {
            return backprop(s);
        }
        if (s.rolloutThreads() != from.rolloutThreads()) {
            return s.rolloutThreads() == 0 ? "the default rollout executor"
                    : s.rolloutThreads() + " rollout thread" + (s.rolloutThreads() == 1 ? "" : "s");
        }
        return s.updateThreads() + " update thread" + (s.updateThreads() == 1 ? "" : "s");
    }

    private static String backprop(StepSettings s) {
        return s.modelBackprop() ? "the model's backprop" : "the graph differentiated";
    }

    private static double update(StepTimes t) {
        return t.get("reference") + t.get("forward_backward") + t.get("optimizer");
    }

    private static String ratio(double a, double b) {
        return b > 0 ? String.format("%.2fx", a / b) : "n/a";
    }
}
