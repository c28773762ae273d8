package io.github.dl4jgrpoma.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.GrpoMaEstimator;

/**
 * Immutable options of {@link EstimatorSimulator}.
 *
 * <p>Defaults ({@link #defaults()}): {@code kValues = [2, 4, 8, 16, 64]}, {@code mValues = [1, 2, 4, 8, 16]},
 * {@code scenarios = 1000}, {@code repetitions = 100}, {@code seed = 20250929}, {@code estimatorName = "grpo-ma"},
 * {@code advantageConfig = AdvantageConfig.defaults()} (sample std, delta 1e-4, PROMPT answer
 * normalisation). The default run took 5.7 to 7.4 s on one core (2-core VM, Java 17), most of it in the K = 64 cells.
 *
 * <p>Why many scenarios and fewer repetitions: the per-thought sample variance over the repetitions is
 * unbiased for any {@code repetitions >= 2}, so its noise averages out over the {@code scenarios * K}
 * thoughts; what does not average out quickly is the spread between scenarios (a thought whose true value
 * sits next to another's is far noisier than an isolated one), which only more scenarios reduce. With 200
 * scenarios the K = 2 row still strayed up to 19% from the exact enumerated value; with 1000 it is within 5%.
 *
 * @param kValues         thoughts per prompt to simulate, each {@code >= 2}, no duplicates, in table order
 * @param mValues         answers per thought to simulate, each {@code >= 1}, no duplicates, in table order
 * @param scenarios       sets of true thought values drawn per {@code K}, {@code >= 1}
 * @param repetitions     reward matrices drawn per scenario, {@code >= 2} (a variance needs two draws)
 * @param seed            seed of every random draw of the run
 * @param estimatorName   registry name of the estimator whose thought advantage is measured
 * @param advantageConfig options passed to the estimator
 */
public record EstimatorSimulatorConfig(List<Integer> kValues, List<Integer> mValues, int scenarios, int repetitions,
                                       long seed, String estimatorName, AdvantageConfig advantageConfig) {

    /** Default seed. */
    public static final long DEFAULT_SEED = 20250929L;

    /** Validates every field (messages name field, value and fix) and copies the lists. */
    public EstimatorSimulatorConfig {
        kValues = checkSizes("kValues", kValues, 2, "thoughts per prompt: the thought advantage needs K >= 2");
        mValues = checkSizes("mValues", mValues, 1, "answers per thought");
        if (scenarios < 1) {
            throw new IllegalArgumentException("EstimatorSimulatorConfig.scenarios must be >= 1, got " + scenarios
                    + "; use for example 1000 (the default)");
        }
        if (repetitions < 2) {
            throw new IllegalArgumentException("EstimatorSimulatorConfig.repetitions must be >= 2 to estimate a "
                    + "variance, got " + repetitions + "; use for example 100 (the default)");
        }
        if (estimatorName == null || estimatorName.isBlank()) {
            throw new IllegalArgumentException("EstimatorSimulatorConfig.estimatorName must be a registered estimator "
                    + "name, got '" + estimatorName + "'; use \"" + GrpoMaEstimator.NAME + "\" (the default)");
        }
        if (advantageConfig == null) {
            throw new IllegalArgumentException("EstimatorSimulatorConfig.advantageConfig must not be null, got null; "
                    + "use AdvantageConfig.defaults()");
        }
    }

    /** The documented defaults. */
    public static EstimatorSimulatorConfig defaults() {
        return new EstimatorSimulatorConfig(List.of(2, 4, 8, 16, 64), List.of(1, 2, 4, 8, 16), 1000, 100, DEFAULT_SEED,
                GrpoMaEstimator.NAME, AdvantageConfig.defaults());
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static List<Integer> checkSizes(String field, List<Integer> values, int min, String meaning) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("EstimatorSimulatorConfig." + field + " must list at least one value ("
                    + meaning + "), got " + values + "; for example " + (min == 2 ? "[2, 4, 8, 16, 64]" : "[1, 2, 4, 8, 16]"));
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer v : values) {
            if (v == null || v < min) {
                throw new IllegalArgumentException("EstimatorSimulatorConfig." + field + " values must be >= " + min
                        + " (" + meaning + "), got " + v + " in " + values + "; remove or raise it");
            }
            if (!seen.add(v)) {
                throw new IllegalArgumentException("EstimatorSimulatorConfig." + field + " lists " + v + " twice in "
                        + values + "; list each value once");
            }
        }
        return List.copyOf(values);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private List<Integer> kValues;
        private List<Integer> mValues;
        private int scenarios;
        private int repetitions;
        private long seed;
        private String estimatorName;
        private AdvantageConfig advantageConfig;

        private Builder(EstimatorSimulatorConfig c) {
            kValues = c.kValues;
            mValues = c.mValues;
            scenarios = c.scenarios;
            repetitions = c.repetitions;
            seed = c.seed;
            estimatorName = c.estimatorName;
            advantageConfig = c.advantageConfig;
        }

        /** Sets {@link EstimatorSimulatorConfig#kValues()}. */
        public Builder kValues(Integer... values) {
            this.kValues = values == null ? null : java.util.Arrays.asList(values);
            return this;
        }

        /** Sets {@link EstimatorSimulatorConfig#mValues()}. */
        public Builder mValues(Integer... values) {
            this.mValues = values == null ? null : java.util.Arrays.asList(values);
            return this;
        }

        /** Sets {@link EstimatorSimulatorConfig#scenarios()}. */
        public Builder scenarios(int value) {
            this.scenarios = value;
            return this;
        }

        /** Sets {@link EstimatorSimulatorConfig#repetitions()}. */
        public Builder repetitions(int value) {
            this.repetitions = value;
            return this;
        }

        /** Sets {@link EstimatorSimulatorConfig#seed()}. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Sets {@link EstimatorSimulatorConfig#estimatorName()}. */
        public Builder estimatorName(String value) {
            this.estimatorName = value;
            return this;
        }

        /** Sets {@link EstimatorSimulatorConfig#advantageConfig()}. */
        public Builder advantageConfig(AdvantageConfig value) {
            this.advantageConfig = value;
            return this;
        }

        /** Builds and validates the config. */
        public EstimatorSimulatorConfig build() {
            return new EstimatorSimulatorConfig(kValues, mValues, scenarios, repetitions, seed, estimatorName,
                    advantageConfig);
        }
    }
}
