package io.github.dl4jgrpoma.sim;

/**
 * One (K, M) cell of an {@link EstimatorSimulator} run.
 *
 * @param k                  thoughts per prompt
 * @param m                  answers per thought
 * @param simulatedVariance  variance of the estimated thought advantage across repetitions, averaged over
 *                           thoughts and scenarios (see {@link EstimatorSimulator})
 * @param predictedVariance  leading-order prediction {@code sigma_i^2 / (M/12 + 1/6)} averaged over the same
 *                           thoughts and scenarios
 */
public record SimulationCell(int k, int m, double simulatedVariance, double predictedVariance) {

    /** {@code simulatedVariance / predictedVariance} (NaN if the prediction is 0). */
    public double ratio() {
        return predictedVariance == 0 ? Double.NaN : simulatedVariance / predictedVariance;
    }
}
