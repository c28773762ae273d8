package io.github.dl4jgrpoma.sim;

import java.util.List;
import java.util.Locale;

/**
 * Immutable result table of an {@link EstimatorSimulator} run: one {@link SimulationCell} per (K, M), K-major
 * in the order of the config's lists, plus the config that produced it.
 *
 * @param config the config of the run
 * @param cells  the cells, K-major
 */
public record SimulationResult(EstimatorSimulatorConfig config, List<SimulationCell> cells) {

    private static final String[] HEADERS = {"K", "M", "simulated Var(A_th)", "predicted", "sim/pred"};

    /** Copies the cell list. */
    public SimulationResult {
        if (config == null || cells == null) {
            throw new IllegalArgumentException("SimulationResult: config and cells must not be null");
        }
        cells = List.copyOf(cells);
    }

    /**
     * The cell of {@code (k, m)}.
     *
     * @throws IllegalArgumentException if the run did not simulate that pair
     */
    public SimulationCell cell(int k, int m) {
        for (SimulationCell c : cells) {
            if (c.k() == k && c.m() == m) {
                return c;
            }
        }
        throw new IllegalArgumentException("SimulationResult: no cell for K=" + k + ", M=" + m + "; simulated K "
                + config.kValues() + " and M " + config.mValues());
    }

    /** Fixed-width text table, one line per cell, with a header line. */
    public String toTextTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%5s %5s %20s %12s %10s\n", (Object[]) HEADERS));
        for (SimulationCell c : cells) {
            sb.append(String.format(Locale.ROOT, "%5d %5d %20.5f %12.5f %10.3f\n", c.k(), c.m(),
                    c.simulatedVariance(), c.predictedVariance(), c.ratio()));
        }
        return sb.toString();
    }

    /** GitHub-flavoured markdown table, one row per cell. */
    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", HEADERS)).append(" |\n");
        sb.append("|---:|---:|---:|---:|---:|\n");
        for (SimulationCell c : cells) {
            sb.append(String.format(Locale.ROOT, "| %d | %d | %.5f | %.5f | %.3f |\n", c.k(), c.m(),
                    c.simulatedVariance(), c.predictedVariance(), c.ratio()));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "SimulationResult{estimator=" + config.estimatorName() + ", scenarios=" + config.scenarios()
                + ", repetitions=" + config.repetitions() + ", seed=" + config.seed() + ", cells=" + cells.size() + "}";
    }
}
