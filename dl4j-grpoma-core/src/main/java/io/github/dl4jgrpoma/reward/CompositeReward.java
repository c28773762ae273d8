package io.github.dl4jgrpoma.reward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted sum of named rewards: {@code R(ctx) = sum_i w_i * r_i(ctx)}.
 *
 * <p>Names must be unique (they label the metrics {@code rewards/<name>/mean}); a duplicate is rejected at
 * construction. The composite itself is a {@link RewardFunction} (name {@value #DEFAULT_NAME} unless
 * given), so it can be nested, but only the top-level composite's terms get their own metrics.
 *
 * <p>{@link #score} and {@link #evaluate} call the terms directly and let their exceptions through; use a
 * {@link RewardScorer} for the failure policy and for non-finite checks.
 */
public final class CompositeReward implements RewardFunction {

    /** Default name of a composite. */
    public static final String DEFAULT_NAME = "total";

    private final String name;
    private final List<WeightedReward> terms;

    /**
     * @param name  name of the composite
     * @param terms at least one term; reward names unique
     * @throws IllegalArgumentException on an empty list or a duplicate name (both positions are named)
     */
    public CompositeReward(String name, List<WeightedReward> terms) {
        this.name = RewardFunction.checkName(name);
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException("composite reward '" + name
                    + "' has no terms; fix: add at least one reward");
        }
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < terms.size(); i++) {
            WeightedReward t = terms.get(i);
            if (t == null) {
                throw new IllegalArgumentException("term " + i + " of composite reward '" + name + "' is null");
            }
            Integer previous = seen.putIfAbsent(t.name(), i);
            if (previous != null) {
                throw new IllegalArgumentException("reward name '" + t.name() + "' is used twice in composite '"
                        + name + "' (terms " + previous + " and " + i + "); fix: give each reward a unique name,"
                        + " e.g. RewardFunction.of(\"" + t.name() + "_2\", ...) or the name field of a built-in");
            }
        }
        this.terms = List.copyOf(terms);
    }

    /** A composite named {@value #DEFAULT_NAME} with weight 1 for every reward. */
    public static CompositeReward of(RewardFunction... rewards) {
        List<WeightedReward> list = new ArrayList<>();
        for (RewardFunction r : rewards) {
            list.add(new WeightedReward(r, 1.0));
        }
        return new CompositeReward(DEFAULT_NAME, list);
    }

    /** A builder for a composite named {@value #DEFAULT_NAME}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The terms in order (unmodifiable). */
    public List<WeightedReward> terms() {
        return terms;
    }

    /** The term names in order. */
    public List<String> names() {
        return terms.stream().map(WeightedReward::name).toList();
    }

    /** The weighted total and the raw score of every term. */
    public CompositeScore evaluate(RewardContext ctx) {
        Map<String, Double> per = new LinkedHashMap<>();
        double total = 0;
        for (WeightedReward t : terms) {
            double s = t.reward().score(ctx);
            per.put(t.name(), s);
            total += t.weight() * s;
        }
        return new CompositeScore(total, per);
    }

    @Override
    public double score(RewardContext ctx) {
        return evaluate(ctx).total();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CompositeReward(" + name + " = ");
        for (int i = 0; i < terms.size(); i++) {
            sb.append(i == 0 ? "" : " + ").append(terms.get(i).weight()).append('*').append(terms.get(i).name());
        }
        return sb.append(')').toString();
    }

    /** Collects terms in order; names are checked for uniqueness in {@link #build()}. */
    public static final class Builder {
        private final List<WeightedReward> terms = new ArrayList<>();
        private String name = DEFAULT_NAME;

        private Builder() {
        }

        /** Names the composite. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds {@code reward} with weight 1. */
        public Builder add(RewardFunction reward) {
            return add(reward, 1.0);
        }

        /** Adds {@code weight * reward}. */
        public Builder add(RewardFunction reward, double weight) {
            terms.add(new WeightedReward(reward, weight));
            return this;
        }

        /** The validated composite. */
        public CompositeReward build() {
            return new CompositeReward(name, terms);
        }
    }
}
