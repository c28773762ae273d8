package io.github.dl4jgrpoma.loss;

import java.util.List;

/**
 * A name-keyed registry of {@link ImportanceRatio}s, an ordinary instance like {@link AggregationRegistry}: build one
 * with {@link #defaults()} ({@code token}, {@code sequence}, {@code sequence-token}) or {@link #empty()}, register
 * your own, pass it to {@link GrpoLoss#attach(org.nd4j.autodiff.samediff.SameDiff,
 * org.nd4j.autodiff.samediff.SDVariable, int, LossConfig, AggregationRegistry, ImportanceRatioRegistry, String)}.
 * Duplicate names are rejected; an unknown name fails with the known names. Not thread-safe: fill it before
 * sharing it.
 */
public final class ImportanceRatioRegistry {
    private final NamedStrategies<ImportanceRatio> byName = new NamedStrategies<>("ImportanceRatioRegistry",
            "importance ratio", "LossConfig.importanceRatio", ImportanceRatio::name);

    private ImportanceRatioRegistry() {
    }

    /** An empty registry. */
    public static ImportanceRatioRegistry empty() {
        return new ImportanceRatioRegistry();
    }

    /** A new registry holding {@code token} (default), {@code sequence} (GSPO) and {@code sequence-token}. */
    public static ImportanceRatioRegistry defaults() {
        return empty().register(new TokenRatio()).register(new SequenceRatio()).register(new SequenceTokenRatio());
    }

    /**
     * Adds a strategy under its {@link ImportanceRatio#name()}.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException if the strategy is null, its name blank, or the name already taken
     */
    public ImportanceRatioRegistry register(ImportanceRatio ratio) {
        byName.register(ratio);
        return this;
    }

    /**
     * The strategy registered under {@code name}.
     *
     * @throws IllegalArgumentException naming the known names when there is none
     */
    public ImportanceRatio get(String name) {
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
