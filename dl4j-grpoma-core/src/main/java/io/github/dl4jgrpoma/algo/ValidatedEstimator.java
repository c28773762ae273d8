package io.github.dl4jgrpoma.algo;

/**
 * The part every built-in estimator shares: its registry name (also its {@code toString}) and the input
 * checks run before the advantages are computed ({@link RewardValidation#requireConfig} and
 * {@link RewardValidation#validate} with at least 2 answers in all, the estimator named in every message).
 */
abstract class ValidatedEstimator implements AdvantageEstimator {
    private final String name;

    ValidatedEstimator(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Advantages estimate(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
        RewardValidation.requireConfig(cfg, name);
        RewardValidation.validate(rewards, promptIndex, 2, name);
        return compute(rewards, cfg, promptIndex);
    }

    /**
     * The advantages of validated input.
     *
     * @param rewards     a non-null rectangular {@code K x M} array of finite rewards, {@code K*M >= 2}
     * @param cfg         non-null options
     * @param promptIndex the prompt's index in its batch, for error messages
     */
    abstract Advantages compute(double[][] rewards, AdvantageConfig cfg, int promptIndex);

    @Override
    public final String toString() {
        return name;
    }
}
