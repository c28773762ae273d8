package io.github.dl4jgrpoma.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.AdvantageEstimator;
import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.algo.Advantages;

/**
 * Monte-Carlo check of GRPO-MA.md section 4: how noisy is the estimated thought advantage for given
 * {@code K} (thoughts) and {@code M} (answers per thought)? No model is involved; rewards are Bernoulli.
 *
 * <p><b>What is simulated</b>, for each (K, M) of the config:
 * <ol>
 *   <li>Draw {@code scenarios} sets of true thought values {@code mu_1..mu_K ~ Uniform(0, 1)}.</li>
 *   <li>Within a scenario draw {@code repetitions} reward matrices with {@code R_ij ~ Bernoulli(mu_i)}
 *       independently, so the within-thought reward variance is {@code sigma_i^2 = mu_i (1 - mu_i)}.</li>
 *   <li>Run the real estimator (default {@code grpo-ma}, via {@link AdvantageEstimators}) on each matrix
 *       and keep {@code A_th_i}. Repetitions in which all K thought values are equal give
 *       {@code A_th = 0}: that is the estimator's answer and it is kept.</li>
 *   <li>For each thought take the sample variance (divisor {@code repetitions - 1}) of {@code A_th_i}
 *       across the repetitions: the noise variance of the estimate given the true values.</li>
 *   <li>The cell's simulated variance is the average of these over the {@code K} thoughts and the
 *       {@code scenarios} scenarios.</li>
 * </ol>
 *
 * <p><b>What is predicted</b>: the leading-order formula
 * {@code Var(A_th_i | mu) ~ sigma_i^2 / (M Var(mu) + E[sigma^2])} with the population moments of
 * {@code mu ~ Uniform(0,1)}, {@code Var(mu) = 1/12} and {@code E[mu(1-mu)] = 1/6}, evaluated at the same
 * drawn {@code mu}s and averaged the same way:
 * {@code predicted = (1/(scenarios K)) sum_s sum_i mu_si (1 - mu_si) / (M/12 + 1/6)}, which is about
 * {@code (1/6)/(M/12 + 1/6) = 2/(M + 2)}. It follows from
 * {@code A_th_i ~ (V_i - mean V)/std(V)} with {@code Var(V_i | mu) = sigma_i^2 / M} and
 * {@code std(V)^2 ~ Var(mu) + E[sigma^2]/M}; it neglects terms of order {@code 1/K} (the noise of the mean
 * and of the std in the normaliser, the n vs n-1 factor, ties, delta), so it fits large {@code K} best.
 * Raising {@code M} drives it to 0 at rate about {@code 1/M}; raising {@code K} does not lower it (the floor).
 *
 * <p><b>Randomness</b>: all draws come from {@link SplittableRandom}s seeded from the config's seed. The
 * scenario draws depend only on (seed, K), so every M of the same K sees the same true values (common
 * random numbers make the comparison across M sharper); the reward draws depend on (seed, K, M). A cell
 * does not depend on which other cells are simulated, and the same config gives an identical table.
 */
public final class EstimatorSimulator {
    private static final Logger LOG = LoggerFactory.getLogger(EstimatorSimulator.class);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private EstimatorSimulator() {
    }

    /** Runs the simulation with the built-in estimators ({@link AdvantageEstimators#defaults()}). */
    public static SimulationResult run(EstimatorSimulatorConfig config) {
        return run(config, AdvantageEstimators.defaults());
    }

    /**
     * Runs the simulation, looking the estimator up in {@code registry}.
     *
     * @throws IllegalArgumentException if the config or registry is null, or the estimator name is unknown
     */
    public static SimulationResult run(EstimatorSimulatorConfig config, AdvantageEstimators registry) {
        if (config == null || registry == null) {
            throw new IllegalArgumentException("EstimatorSimulator.run: config and registry must not be null; use "
                    + "EstimatorSimulatorConfig.defaults() and AdvantageEstimators.defaults()");
        }
        AdvantageEstimator estimator = registry.get(config.estimatorName());
        int totalCells = config.kValues().size() * config.mValues().size();
        LOG.info("Estimator simulation: estimator={}, K={}, M={}, {} scenarios x {} repetitions per cell, seed={}",
                estimator.name(), config.kValues(), config.mValues(), config.scenarios(), config.repetitions(),
                config.seed());
        long start = System.nanoTime();
        List<SimulationCell> cells = new ArrayList<>(totalCells);
        for (int k : config.kValues()) {
            for (int m : config.mValues()) {
                SimulationCell cell = simulateCell(estimator, config, k, m);
                cells.add(cell);
                LOG.debug("cell {}/{}: K={} M={} simulated={} predicted={}", cells.size(), totalCells, k, m,
                        cell.simulatedVariance(), cell.predictedVariance());
            }
            LOG.info("Estimator simulation: K={} done ({}/{} cells, {} ms)", k, cells.size(), totalCells,
                    (System.nanoTime() - start) / 1_000_000);
        }
        LOG.info("Estimator simulation finished in {} ms", (System.nanoTime() - start) / 1_000_000);
        return new SimulationResult(config, cells);
    }

    private static SimulationCell simulateCell(AdvantageEstimator estimator, EstimatorSimulatorConfig config, int k,
                                               int m) {
        long scenarioSeed = mix64(config.seed() ^ mix64(k * GOLDEN));
        SplittableRandom muRandom = new SplittableRandom(scenarioSeed);
        SplittableRandom rewardRandom = new SplittableRandom(mix64(scenarioSeed + (m + 1L) * GOLDEN));
        AdvantageConfig cfg = config.advantageConfig();
        int reps = config.repetitions();
        double predictionDenominator = m / 12.0 + 1.0 / 6.0;
        double[] mu = new double[k];
        double[][] rewards = new double[k][m];
        double[] mean = new double[k];
        double[] m2 = new double[k];
        double simulatedSum = 0;
        double predictedSum = 0;
        for (int s = 0; s < config.scenarios(); s++) {
            for (int i = 0; i < k; i++) {
                mu[i] = muRandom.nextDouble();
                mean[i] = 0;
                m2[i] = 0;
                predictedSum += mu[i] * (1 - mu[i]) / predictionDenominator;
            }
            for (int r = 0; r < reps; r++) {
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < m; j++) {
                        rewards[i][j] = rewardRandom.nextDouble() < mu[i] ? 1.0 : 0.0;
                    }
                }
                Advantages a = estimator.estimate(rewards, cfg, s);
                for (int i = 0; i < k; i++) {
                    // Welford's running mean and sum of squared deviations.
                    double x = a.thoughtAdvantage(i);
                    double d = x - mean[i];
                    mean[i] += d / (r + 1);
                    m2[i] += d * (x - mean[i]);
                }
            }
            for (int i = 0; i < k; i++) {
                simulatedSum += m2[i] / (reps - 1);
            }
        }
        double n = (double) config.scenarios() * k;
        return new SimulationCell(k, m, simulatedSum / n, predictedSum / n);
    }

    /** SplitMix64 finaliser: spreads nearby seeds over the whole 64-bit range. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
