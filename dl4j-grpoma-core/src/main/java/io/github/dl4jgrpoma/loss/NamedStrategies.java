package io.github.dl4jgrpoma.loss;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The map behind the loss registries ({@link AggregationRegistry}, {@link ImportanceRatioRegistry}): names in
 * registration order, duplicates rejected, a miss lists the known names. Not thread-safe.
 *
 * @param <T> the strategy type
 */
final class NamedStrategies<T> {
    private final Map<String, T> byName = new LinkedHashMap<>();
    private final String owner;
    private final String kind;
    private final String configField;
    private final Function<T, String> nameOf;

    /**
     * @param owner       registry class name used in messages, e.g. {@code AggregationRegistry}
     * @param kind        what is registered, e.g. {@code loss aggregation}
     * @param configField the config field that selects it, e.g. {@code LossConfig.aggregation}
     * @param nameOf      the strategy's registry name
     */
    NamedStrategies(String owner, String kind, String configField, Function<T, String> nameOf) {
        this.owner = owner;
        this.kind = kind;
        this.configField = configField;
        this.nameOf = nameOf;
    }

    void register(T strategy) {
        if (strategy == null) {
            throw new IllegalArgumentException(owner + ".register: " + kind + " must not be null");
        }
        String name = nameOf.apply(strategy);
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(owner + ".register: name of " + strategy.getClass().getName()
                    + " must be non-blank, got '" + name + "'");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException(owner + ".register: name '" + name
                    + "' is already registered (" + byName.get(name).getClass().getName()
                    + "); pick another name or use a fresh registry");
        }
        byName.put(name, strategy);
    }

    T get(String name) {
        T found = name == null ? null : byName.get(name);
        if (found == null) {
            throw new IllegalArgumentException("Unknown " + kind + " '" + name + "'; known: " + names()
                    + ". Set " + configField + " to one of them or register yours first");
        }
        return found;
    }

    boolean contains(String name) {
        return byName.containsKey(name);
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
