package io.github.dl4jgrpoma.reward;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The result of {@link CompositeReward#evaluate}: the weighted total and each reward's raw (unweighted)
 * score, in the composite's order.
 *
 * @param total     {@code sum_i w_i * r_i}
 * @param perReward reward name to raw score {@code r_i}; ordered, unmodifiable
 */
public record CompositeScore(double total, Map<String, Double> perReward) {
    /** Copies the map, keeping its iteration order. */
    public CompositeScore {
        perReward = Collections.unmodifiableMap(new LinkedHashMap<>(perReward));
    }
}
