package io.github.dl4jgrpoma.reward;

import java.util.function.ToDoubleFunction;

/** A {@link RewardFunction} made from a name and a function; see {@link RewardFunction#of}. */
final class NamedRewardFunction implements RewardFunction {
    private final String name;
    private final ToDoubleFunction<RewardContext> fn;

    NamedRewardFunction(String name, ToDoubleFunction<RewardContext> fn) {
        if (fn == null) {
            throw new IllegalArgumentException("reward function '" + name + "' is null; fix: pass a lambda ctx -> score");
        }
        this.name = name;
        this.fn = fn;
    }

    @Override
    public double score(RewardContext ctx) {
        return fn.applyAsDouble(ctx);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "RewardFunction(" + name + ")";
    }
}
