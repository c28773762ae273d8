package io.github.dl4jgrpoma.reward;

/**
 * One term {@code w * r} of a {@link CompositeReward}.
 *
 * @param reward the reward function (non-null)
 * @param weight its weight, finite; may be negative (a penalty) or 0 (logged but not trained on)
 */
public record WeightedReward(RewardFunction reward, double weight) {
    /** Validates the fields. */
    public WeightedReward {
        if (reward == null) {
            throw new IllegalArgumentException("reward is null; fix: pass a RewardFunction");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight of reward '" + reward.name() + "' must be finite but was "
                    + weight + "; fix: use a finite weight such as 1.0");
        }
    }

    /** The reward's name. */
    public String name() {
        return reward.name();
    }
}
