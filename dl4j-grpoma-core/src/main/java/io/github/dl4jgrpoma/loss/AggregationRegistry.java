package io.github.dl4jgrpoma.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A name-keyed registry of {@link LossAggregation}s. It is an ordinary instance (no global state): build
 * one with {@link #defaults()} or {@link #empty()}, register your own strategies, and pass it to
 * {@link GrpoLoss#attach(org.nd4j.autodiff.samediff.SameDiff, org.nd4j.autodiff.samediff.SDVariable, int,
 * LossConfig, AggregationRegistry, String)}. Registering a name twice is rejected; looking up an unknown
 * name fails with the list of known names. Not thread-safe: fill it before sharing it.
 */
public final class AggregationRegistry {
    private final Map<String, LossAggregation> byName = new LinkedHashMap<>();

    private AggregationRegistry() {
    }

    /** An empty registry. */
    public static AggregationRegistry empty() {
        return new AggregationRegistry();
    }

    /** A new registry holding {@code sequence-mean}, {@code token-mean} and {@code constant}. */
    public static AggregationRegistry defaults() {
        return empty().register(new SequenceMeanAggregation())
                .register(new TokenMeanAggregation())
                .register(new ConstantAggregation());
    }

    /**
     * Adds a strategy under its {@link LossAggregation#name()}.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException if the strategy is null, its name blank, or the name already taken
     */
    public AggregationRegistry register(LossAggregation aggregation) {
        if (aggregation == null) {
            throw new IllegalArgumentException("AggregationRegistry.register: aggregation must not be null");
        }
        String name = aggregation.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("AggregationRegistry.register: name of " + aggregation.getClass().getName()
                    + " must be non-blank, got '" + name + "'");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("AggregationRegistry.register: name '" + name
                    + "' is already registered (" + byName.get(name).getClass().getName()
                    + "); pick another name or use a fresh registry");
        }
        byName.put(name, aggregation);
        return this;
    }

    /**
     * The strategy registered under {@code name}.
     *
     * @throws IllegalArgumentException naming the known names when there is none
     */
    public LossAggregation get(String name) {
        LossAggregation found = byName.get(name);
        if (found == null) {
            throw new IllegalArgumentException("Unknown loss aggregation '" + name + "'; known: " + names()
                    + ". Set LossConfig.aggregation to one of them or register yours first");
        }
        return found;
    }

    /** True when a strategy is registered under {@code name}. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The registered names, in registration order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
