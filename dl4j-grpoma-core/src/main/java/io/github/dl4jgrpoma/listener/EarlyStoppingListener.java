package io.github.dl4jgrpoma.listener;

import java.util.OptionalDouble;

/**
 * Stops training cleanly (a {@link ListenerResponse#stop STOP} response) when a monitored metric stops
 * improving or reaches a target.
 *
 * <p>An <em>observation</em> is a step of the configured phase (default {@value StepEvent#PHASE_RL}) that
 * reports the metric; other steps are ignored and do not count towards the patience. For observation
 * value {@code v}:
 * <ul>
 *   <li><b>target</b> (optional): stop when {@code v >= target} (MAXIMIZE) or {@code v <= target}
 *       (MINIMIZE);</li>
 *   <li><b>patience</b> (0 = off): the first observation sets {@code best}. Later, {@code v} improves when
 *       {@code v > best + minDelta} (MAXIMIZE) or {@code v < best - minDelta} (MINIMIZE); then
 *       {@code best = v} and the counter resets, otherwise the counter grows by one (NaN never improves).
 *       Stop when the counter reaches {@code patience}.</li>
 * </ul>
 * At least one criterion must be set. State is reset by {@code onStart}.
 */
public final class EarlyStoppingListener implements TrainingListener {
    private final String metric;
    private final MetricGoal goal;
    private final int patience;
    private final double minDelta;
    private final OptionalDouble target;
    private final String phase;

    private double best = Double.NaN;
    private long bestStep = -1;
    private int sinceImprovement;

    private EarlyStoppingListener(Builder b) {
        if (b.metric == null || b.metric.isEmpty()) {
            throw new IllegalArgumentException("metric is not set; fix: .metric(\"reward/mean\")");
        }
        if (b.patience < 0) {
            throw new IllegalArgumentException("patience is " + b.patience + "; fix: use >= 1, or 0 to disable it");
        }
        if (!(b.minDelta >= 0) || Double.isInfinite(b.minDelta)) {
            throw new IllegalArgumentException("minDelta is " + b.minDelta + "; fix: use a finite value >= 0");
        }
        if (b.target.isPresent() && !Double.isFinite(b.target.getAsDouble())) {
            throw new IllegalArgumentException("target is " + b.target.getAsDouble() + "; fix: use a finite value");
        }
        if (b.patience == 0 && b.target.isEmpty()) {
            throw new IllegalArgumentException("early stopping on '" + b.metric
                    + "' has neither patience nor target; fix: set .patience(n) and/or .target(value)");
        }
        this.metric = b.metric;
        this.goal = b.goal;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.target = b.target;
        this.phase = EventMaps.requireToken("phase", b.phase);
    }

    /** A builder; {@code metric} and a criterion are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Best value observed so far (NaN before the first finite observation). */
    public double bestValue() {
        return best;
    }

    /** Step of the best value, -1 before the first. */
    public long bestStep() {
        return bestStep;
    }

    @Override
    public void onStart(TrainingStartEvent event) {
        best = Double.NaN;
        bestStep = -1;
        sinceImprovement = 0;
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        if (!e.phase().equals(phase)) {
            return ListenerResponse.CONTINUE;
        }
        OptionalDouble ov = e.metric(metric);
        if (ov.isEmpty()) {
            return ListenerResponse.CONTINUE;
        }
        double v = ov.getAsDouble();
        boolean improved = Double.isNaN(best) ? !Double.isNaN(v)
                : goal == MetricGoal.MAXIMIZE ? v > best + minDelta : v < best - minDelta;
        if (improved) {
            best = v;
            bestStep = e.step();
            sinceImprovement = 0;
        } else {
            sinceImprovement++;
        }
        if (target.isPresent()) {
            double t = target.getAsDouble();
            if (goal == MetricGoal.MAXIMIZE ? v >= t : v <= t) {
                return ListenerResponse.stop("early stopping: " + metric + " reached the target " + t + " (" + v
                        + " at " + e.phase() + " step " + e.step() + ")");
            }
        }
        if (patience > 0 && sinceImprovement >= patience) {
            return ListenerResponse.stop("early stopping: " + metric + " did not improve by more than " + minDelta
                    + " for " + sinceImprovement + " observations (best " + best + " at step " + bestStep + ", now "
                    + v + " at " + e.phase() + " step " + e.step() + ")");
        }
        return ListenerResponse.CONTINUE;
    }

    /** Builder of {@link EarlyStoppingListener}; defaults: MAXIMIZE, patience 0 (off), minDelta 0, no target, phase rl. */
    public static final class Builder {
        private String metric;
        private MetricGoal goal = MetricGoal.MAXIMIZE;
        private int patience;
        private double minDelta;
        private OptionalDouble target = OptionalDouble.empty();
        private String phase = StepEvent.PHASE_RL;

        private Builder() {
        }

        /** The metric to monitor, e.g. {@code "reward/mean"}. */
        public Builder metric(String metric) {
            this.metric = metric;
            return this;
        }

        /** Whether larger or smaller is better (default MAXIMIZE). */
        public Builder goal(MetricGoal goal) {
            if (goal == null) {
                throw new IllegalArgumentException("goal is null; fix: MetricGoal.MAXIMIZE or MINIMIZE");
            }
            this.goal = goal;
            return this;
        }

        /** Observations without improvement before stopping (0 = off, default). */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Smallest change that counts as improvement (default 0). */
        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** Stop as soon as the metric reaches this value. */
        public Builder target(double target) {
            this.target = OptionalDouble.of(target);
            return this;
        }

        /** The phase whose steps are observed (default {@value StepEvent#PHASE_RL}). */
        public Builder phase(String phase) {
            this.phase = phase;
            return this;
        }

        /** The validated listener. */
        public EarlyStoppingListener build() {
            return new EarlyStoppingListener(this);
        }
    }
}
