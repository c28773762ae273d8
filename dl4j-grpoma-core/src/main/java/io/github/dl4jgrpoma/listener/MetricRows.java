package io.github.dl4jgrpoma.listener;

import java.util.List;

/** Column names shared by the CSV and JSONL metrics files. */
final class MetricRows {
    /** The fixed leading fields of every row; metrics may not use these names. */
    static final List<String> FIXED = List.of("phase", "step", "total_steps", "elapsed_ms");

    private MetricRows() {
    }

    static void checkNoClash(StepEvent e, Object file) {
        for (String k : e.metrics().keySet()) {
            if (FIXED.contains(k)) {
                throw new IllegalArgumentException("metric '" + k + "' of " + e.phase() + " step " + e.step()
                        + " clashes with a fixed column of " + file + " " + FIXED + "; fix: rename the metric");
            }
        }
    }
}
