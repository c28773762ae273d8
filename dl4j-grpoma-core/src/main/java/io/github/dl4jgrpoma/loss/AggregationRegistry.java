package io.github.dl4jgrpoma.loss;

import java.util.List;

/**
 * A name-keyed registry of {@link LossAggregation}s. It is an ordinary instance (no global state): build
 * one with {@link #defaults()} or {@link #empty()}, register your own strategies, and pass it to
 * {@link GrpoLoss#attach(org.nd4j.autodiff.samediff.SameDiff, org.nd4j.autodiff.samediff.SDVariable, int,
 * LossConfig, AggregationRegistry, String)}. Registering a name twice is rejected; looking up an unknown
 * name fails with the list of known names. Not thread-safe: fill it before sharing it.
 */
public final class AggregationRegistry {
    private final NamedStrategies<LossAggregation> byName = new NamedStrategies<>("AggregationRegistry",
            "loss aggregation", "LossConfig.aggregation", LossAggregation::name);

    private AggregationRegistry() {
    }

    /** An empty registry. */
    public static AggregationRegistry empty() {
        return new AggregationRegistry();
    }

    /** A new registry holding {@code sequence-mean}, {@code token-mean}, {@code constant} and {@code bnpo}. */
    public static AggregationRegistry defaults() {
        return empty().register(new SequenceMeanAggregation())
                .register(new TokenMeanAggregation())
                .register(new ConstantAggregation())
                .register(new BnpoAggregation());
    }

    /**
     * Adds a strategy under its {@link LossAggregation#name()}.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException if the strategy is null, its name blank, or the name already taken
     */
    public AggregationRegistry register(LossAggregation aggregation) {
        byName.register(aggregation);
        return this;
    }

    /**
     * The strategy registered under {@code name}.
     *
     * @throws IllegalArgumentException naming the known names when there is none
     */
    public LossAggregation get(String name) {
        return byName.get(name);
    }

    /** True when a strategy is registered under {@code name}. */
    public boolean contains(String name) {
        return byName.contains(name);
    }

    /** The registered names, in registration order. */
    public List<String> names() {
        return byName.names();
    }
}
