package io.github.dl4jgrpoma.algo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A name-keyed registry of {@link AdvantageEstimator}s. It is an ordinary instance (no static state):
 * {@link #defaults()} returns a new registry holding {@code grpo-ma}, {@code grpo} and {@code dr-grpo};
 * users add their own with {@link #register}. Registration rejects duplicate names; a lookup miss lists
 * the known names. Methods are synchronized, so a registry may be shared between threads.
 */
public final class AdvantageEstimators {
    private final Map<String, AdvantageEstimator> byName = new HashMap<>();

    /** An empty registry. */
    public AdvantageEstimators() {
    }

    /** A new registry with the built-ins {@code grpo-ma}, {@code grpo}, {@code dr-grpo}. */
    public static AdvantageEstimators defaults() {
        return new AdvantageEstimators()
                .register(new GrpoMaEstimator())
                .register(new GrpoEstimator())
                .register(new DrGrpoEstimator());
    }

    /**
     * Adds an estimator under its {@link AdvantageEstimator#name()}.
     *
     * @return this registry, for chaining
     * @throws IllegalArgumentException if the estimator or its name is null or blank, or the name is taken
     */
    public synchronized AdvantageEstimators register(AdvantageEstimator estimator) {
        if (estimator == null) {
            throw new IllegalArgumentException("AdvantageEstimators.register: estimator is null; pass an instance");
        }
        String name = estimator.name();
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("AdvantageEstimators.register: estimator " + estimator.getClass().getName()
                    + " has name '" + name + "'; name() must return a non-blank string");
        }
        if (byName.containsKey(name)) {
            throw new IllegalArgumentException("AdvantageEstimators.register: an estimator named '" + name
                    + "' is already registered (" + byName.get(name).getClass().getName()
                    + "); choose another name. Known names: " + names());
        }
        byName.put(name, estimator);
        return this;
    }

    /**
     * The estimator registered under {@code name}.
     *
     * @throws IllegalArgumentException on a miss, listing the known names sorted
     */
    public synchronized AdvantageEstimator get(String name) {
        AdvantageEstimator e = name == null ? null : byName.get(name);
        if (e == null) {
            throw new IllegalArgumentException("Unknown advantage estimator '" + name + "'; known names: " + names()
                    + " (register yours with AdvantageEstimators.register)");
        }
        return e;
    }

    /** True when an estimator is registered under {@code name}. */
    public synchronized boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The registered names, sorted, as an unmodifiable list. */
    public synchronized List<String> names() {
        List<String> names = new ArrayList<>(byName.keySet());
        Collections.sort(names);
        return Collections.unmodifiableList(names);
    }

    @Override
    public synchronized String toString() {
        return "AdvantageEstimators" + names();
    }
}
