package io.github.dl4jgrpoma.examples.math;

import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.spark.RolloutWorkerSpec;

/**
 * How a Spark task rebuilds a math run's policy (the transformer of {@link MathExperiment#newPolicy}), tokenizer
 * and rewards ({@link MathRewards}): from the run's settings, carried as their JSON so that nothing but a string
 * is serialised.
 *
 * @param settingsJson the run's {@link MathSettings} as {@link ConfigJson} writes them
 */
public record MathWorkerSpec(String settingsJson) implements RolloutWorkerSpec {
    private static final long serialVersionUID = 1L;

    /** The spec of a run. */
    public static MathWorkerSpec of(MathSettings s) {
        return new MathWorkerSpec(ConfigJson.toJson(s));
    }

    private MathSettings settings() {
        return ConfigJson.read(settingsJson, MathSettings.class, MathSettings.defaults(), "MathWorkerSpec");
    }

    @Override
    public PolicyModel newPolicy() {
        return MathExperiment.newPolicy(settings());
    }

    @Override
    public Tokenizer tokenizer() {
        return MathExperiment.tokenizer();
    }

    @Override
    public CompositeReward reward() {
        return MathRewards.create(settings().formatWeight(), settings().responseCap(), settings().overlongCache());
    }
}
