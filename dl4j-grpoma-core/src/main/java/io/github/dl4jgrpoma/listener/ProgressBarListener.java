package io.github.dl4jgrpoma.listener;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * A one-line console progress bar per phase, redrawn in place with a carriage return:
 * <pre>rl  45% [#########-----------] 45/100 elapsed 00:12 eta 00:15 | loss=0.0123 reward/mean=0.5</pre>
 *
 * <p>ETA: with {@code s0} the first step this listener saw in the phase, the time per step is
 * {@code elapsed / (step - s0 + 1)} (correct after a resume because {@link StepEvent#elapsedMillis()}
 * counts from the phase start in this process) and {@code eta = timePerStep * (total - step)}.
 *
 * <p>Throttled: redrawn at the first step of a phase, at the last step, and otherwise only when at least
 * {@code minIntervalMillis} of elapsed time passed since the last redraw. The line ends with a newline at
 * the last step of a phase, when the phase changes, and at {@code onEnd}. Writes only to the given
 * stream (use {@code System.err} in a command-line program).
 */
public final class ProgressBarListener implements TrainingListener {
    private final PrintStream out;
    private final int width;
    private final long minIntervalMillis;
    private final List<String> metrics;
    private final boolean interactive;

    private String phase;
    private long firstStep;
    private long lastDrawElapsed;
    private int lastLength;
    private boolean lineOpen;

    /**
     * @param out               where to draw
     * @param width             bar width in characters, {@code >= 1} (default 30)
     * @param minIntervalMillis minimum elapsed time between redraws, {@code >= 0} (default 500)
     * @param metrics           metrics shown after the bar, in order (missing ones are left out)
     */
    public ProgressBarListener(PrintStream out, int width, long minIntervalMillis, List<String> metrics) {
        this(out, width, minIntervalMillis, metrics, true);
    }

    /**
     * @param interactive true: redraw one line in place with {@code \r} (a terminal); false: print each
     *                    update as a line of its own, for logs and files (use a longer interval, e.g. 10 s)
     * @see #ProgressBarListener(PrintStream, int, long, List)
     */
    public ProgressBarListener(PrintStream out, int width, long minIntervalMillis, List<String> metrics,
                               boolean interactive) {
        if (out == null) {
            throw new IllegalArgumentException("out is null; fix: pass System.err or another PrintStream");
        }
        if (width < 1) {
            throw new IllegalArgumentException("width is " + width + "; fix: use >= 1 (default 30)");
        }
        if (minIntervalMillis < 0) {
            throw new IllegalArgumentException("minIntervalMillis is " + minIntervalMillis + "; fix: use >= 0");
        }
        this.out = out;
        this.width = width;
        this.minIntervalMillis = minIntervalMillis;
        this.metrics = List.copyOf(metrics);
        this.interactive = interactive;
    }

    /** Width 30, redraw at most every 500 ms, no metrics. */
    public ProgressBarListener(PrintStream out) {
        this(out, 30, 500, List.of());
    }

    /** The text of the bar for a step, given the first step seen in its phase. */
    String render(StepEvent e, long phaseFirstStep) {
        int pct = (int) Math.floor(100.0 * e.fraction());
        int filled = (int) Math.floor(width * e.fraction());
        double perStep = (double) e.elapsedMillis() / (e.step() - phaseFirstStep + 1);
        long eta = Math.round(perStep * (e.totalSteps() - e.step()));
        StringBuilder sb = new StringBuilder();
        sb.append(e.phase()).append(String.format(Locale.ROOT, " %3d%% [", pct))
                .append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ")
                .append(e.step()).append('/').append(e.totalSteps())
                .append(" elapsed ").append(MetricFormat.duration(e.elapsedMillis()))
                .append(" eta ").append(MetricFormat.duration(eta));
        String sep = " | ";
        for (String name : metrics) {
            Double v = e.metrics().get(name);
            if (v != null) {
                sb.append(sep).append(name).append('=').append(MetricFormat.compact(v));
                sep = " ";
            }
        }
        return sb.toString();
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        boolean newPhase = !e.phase().equals(phase);
        if (newPhase) {
            endLine();
            phase = e.phase();
            firstStep = e.step();
            lastLength = 0;
        }
        if (newPhase || e.isLast() || e.elapsedMillis() - lastDrawElapsed >= minIntervalMillis) {
            String line = render(e, firstStep);
            lastDrawElapsed = e.elapsedMillis();
            if (!interactive) {
                out.println(line);
                out.flush();
                return ListenerResponse.CONTINUE;
            }
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
            lineOpen = true;
            if (e.isLast()) {
                endLine();
            }
            out.flush();
        }
        return ListenerResponse.CONTINUE;
    }

    @Override
    public void onEnd(TrainingEndEvent event) {
        endLine();
        out.flush();
    }

    private void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }
}
