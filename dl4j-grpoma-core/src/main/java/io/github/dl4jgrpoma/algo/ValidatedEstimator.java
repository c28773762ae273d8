package io.github.dl4jgrpoma.algo;

import java.util.ArrayList;
import java.util.List;

/**
 * The part every built-in estimator shares: its registry name (also its {@code toString}) and the input
 * checks run before the advantages are computed ({@link RewardValidation#requireConfig} and
 * {@link RewardValidation#validate} with at least 2 answers in all, the estimator named in every message).
 */
abstract class ValidatedEstimator implements AdvantageEstimator {
    private final String name;
    private final boolean stdScaled;

    /** An estimator that applies {@link AdvantageConfig#scaleRewards()}. */
    ValidatedEstimator(String name) {
        this(name, true);
    }

    /**
     * @param stdScaled false for an estimator that only centres whatever {@link AdvantageConfig#scaleRewards()} says
     */
    ValidatedEstimator(String name, boolean stdScaled) {
        this.name = name;
        this.stdScaled = stdScaled;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Advantages estimate(double[][] rewards, AdvantageConfig cfg, int promptIndex) {
        RewardValidation.requireConfig(cfg, name);
        RewardValidation.validate(rewards, promptIndex, 2, name);
        return finish(List.of(compute(rewards, cfg, promptIndex)), new double[][][] {rewards}, cfg).get(0);
    }

    /**
     * Every prompt's advantages; with {@link RewardScaling#BATCH} the std is taken over the whole batch (so prompts
     * are not independent then).
     */
    @Override
    public final List<Advantages> estimateAll(double[][][] rewards, AdvantageConfig cfg) {
        if (rewards == null) {
            throw new IllegalArgumentException(name + ": the batch of rewards is null; pass one K x M array per prompt");
        }
        RewardValidation.requireConfig(cfg, name);
        List<Advantages> out = new ArrayList<>(rewards.length);
        for (int p = 0; p < rewards.length; p++) {
            RewardValidation.validate(rewards[p], p, 2, name);
            out.add(compute(rewards[p], cfg, p));
        }
        return finish(out, rewards, cfg);
    }

    private List<Advantages> finish(List<Advantages> perPrompt, double[][][] rewards, AdvantageConfig cfg) {
        return List.copyOf(stdScaled ? cfg.scaleRewards().finishBatch(perPrompt, rewards, cfg) : perPrompt);
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
