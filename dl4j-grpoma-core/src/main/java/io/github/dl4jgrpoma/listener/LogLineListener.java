package io.github.dl4jgrpoma.listener;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one INFO line through SLF4J every {@code every} steps and at the last step of each phase, e.g.
 * <pre>rl step 20/500 (4.0%) 00:12 loss=0.01235 reward/mean=0.75</pre>
 * with the chosen metrics in the chosen order (all metrics of the step, in their order, when the list is
 * empty; a chosen metric the step lacks is left out). Values are formatted compactly: whole numbers
 * without a fraction, 4 significant digits otherwise, scientific notation outside [1e-3, 1e6), and
 * {@code NaN}/{@code inf}. Also logs a line at start and at end.
 */
public final class LogLineListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(LogLineListener.class);

    private final int every;
    private final List<String> metrics;

    /**
     * @param every   log every this many steps, {@code >= 1}
     * @param metrics metric names to show, in order; empty for all
     */
    public LogLineListener(int every, List<String> metrics) {
        if (every < 1) {
            throw new IllegalArgumentException("every is " + every + "; fix: log every N >= 1 steps");
        }
        this.every = every;
        this.metrics = List.copyOf(metrics);
    }

    /** Logs every {@code every} steps with all metrics. */
    public LogLineListener(int every) {
        this(every, List.of());
    }

    /** The line logged for a step. */
    public String formatLine(StepEvent e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.phase()).append(" step ").append(e.step()).append('/').append(e.totalSteps())
                .append(String.format(java.util.Locale.ROOT, " (%.1f%%) ", 100.0 * e.fraction()))
                .append(MetricFormat.duration(e.elapsedMillis()));
        Iterable<String> names = metrics.isEmpty() ? e.metrics().keySet() : metrics;
        for (String name : names) {
            Double v = e.metrics().get(name);
            if (v != null) {
                sb.append(' ').append(name).append('=').append(MetricFormat.compact(v));
            }
        }
        return sb.toString();
    }

    @Override
    public void onStart(TrainingStartEvent event) {
        LOG.info("start run {}: {} steps, config {}", event.runName(), event.totalSteps(), event.config());
    }

    @Override
    public ListenerResponse onStep(StepEvent event) {
        if (event.step() % every == 0 || event.isLast()) {
            LOG.info(formatLine(event));
        }
        return ListenerResponse.CONTINUE;
    }

    @Override
    public void onEnd(TrainingEndEvent event) {
        StringBuilder sb = new StringBuilder();
        event.finalMetrics().forEach((k, v) -> sb.append(' ').append(k).append('=').append(MetricFormat.compact(v)));
        LOG.info("end: {} after {} steps in {}{}{}", event.reason(), event.steps(),
                MetricFormat.duration(event.elapsedMillis()), event.detail().isEmpty() ? "" : " (" + event.detail() + ")",
                sb);
    }
}
