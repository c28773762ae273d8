package io.github.dl4jgrpoma.listener;

import java.util.List;

/** Thrown by {@link NanGuardListener} when a step reports NaN or an infinite metric. */
public final class NonFiniteMetricException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String phase;
    private final long step;
    private final List<String> metricNames;

    /**
     * @param phase       phase of the step
     * @param step        the step
     * @param metricNames names of the non-finite metrics, in event order
     * @param message     full message
     */
    public NonFiniteMetricException(String phase, long step, List<String> metricNames, String message) {
        super(message);
        this.phase = phase;
        this.step = step;
        this.metricNames = List.copyOf(metricNames);
    }

    /** Phase of the failing step. */
    public String phase() {
        return phase;
    }

    /** The failing step. */
    public long step() {
        return step;
    }

    /** Names of the non-finite metrics. */
    public List<String> metricNames() {
        return metricNames;
    }
}
