package io.github.dl4jgrpoma.graph;

import java.util.List;

/**
 * Outcome of a {@link GradientCheck}.
 *
 * @param checked      number of gradient entries compared
 * @param failures     entries outside both tolerances
 * @param maxRelError  largest relative error among entries above the absolute tolerance
 * @param failureSample up to 20 failing entries, as "var[index]: analytic=.. numeric=.. rel=.."
 */
public record GradientCheckResult(int checked, int failures, double maxRelError, List<String> failureSample) {
    public GradientCheckResult {
        failureSample = List.copyOf(failureSample);
    }

    /** True when every checked entry passed and at least one entry was checked. */
    public boolean passed() {
        return checked > 0 && failures == 0;
    }

    @Override
    public String toString() {
        return "GradientCheckResult{checked=" + checked + ", failures=" + failures + ", maxRelError=" + maxRelError
                + (failureSample.isEmpty() ? "" : ", sample=" + failureSample) + "}";
    }
}
