package io.github.dl4jgrpoma.algo;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns one prompt's {@code K x M} answer rewards into thought and answer advantages.
 *
 * <p>Implementations are pure functions: no IO, no randomness, no state; they validate the rewards with
 * {@link RewardValidation} and never return NaN for finite input. Built-ins: {@link GrpoMaEstimator}
 * ({@code grpo-ma}), {@link GrpoEstimator} ({@code grpo}) and {@link DrGrpoEstimator} ({@code dr-grpo}),
 * collected by {@link AdvantageEstimators#defaults()}.
 */
public interface AdvantageEstimator {

    /** Prompt index used when the caller does not know it; messages then say so. */
    int UNKNOWN_PROMPT = -1;

    /** Registry name, for example {@code grpo-ma}. */
    String name();

    /**
     * How this estimator's advantages map to tokens: {@link PackingMode#DECOUPLED} (the default: thought tokens
     * carry the thought advantage once, answer tokens their own, GRPO-MA.md section 3) or
     * {@link PackingMode#COUPLED} (the whole response carries one advantage, plain GRPO; needs M = 1).
     */
    default PackingMode packing() {
        return PackingMode.DECOUPLED;
    }

    /**
     * Advantages of one prompt whose index is unknown (errors say how to have it reported).
     *
     * @param rewards {@code rewards[i][j]} = reward of answer {@code j} of thought {@code i}, {@code K x M}
     * @param cfg     delta, std convention, answer normalisation
     */
    default Advantages estimate(double[][] rewards, AdvantageConfig cfg) {
        return estimate(rewards, cfg, UNKNOWN_PROMPT);
    }

    /**
     * Advantages of one prompt.
     *
     * @param rewards     {@code K x M} rewards
     * @param cfg         options
     * @param promptIndex index of the prompt in its batch (named in error messages), or {@link #UNKNOWN_PROMPT}
     * @throws IllegalArgumentException for null, ragged or too small arrays and non-finite rewards
     */
    Advantages estimate(double[][] rewards, AdvantageConfig cfg, int promptIndex);

    /**
     * Advantages of every prompt of a batch; prompts may differ in {@code K} and {@code M}. This default
     * normalises each prompt on its own; the built-in estimators override it to honour
     * {@link AdvantageConfig#scaleRewards()} = {@link RewardScaling#BATCH} (one std over the whole batch).
     *
     * @param rewards {@code rewards[p][i][j]} = reward of answer {@code j} of thought {@code i} of prompt {@code p}
     * @return an unmodifiable list of one {@link Advantages} per prompt, in order; an empty batch gives an empty list
     */
    default List<Advantages> estimateAll(double[][][] rewards, AdvantageConfig cfg) {
        if (rewards == null) {
            throw new IllegalArgumentException(name() + ": the batch of rewards is null; pass one K x M array per prompt");
        }
        List<Advantages> out = new ArrayList<>(rewards.length);
        for (int p = 0; p < rewards.length; p++) {
            out.add(estimate(rewards[p], cfg, p));
        }
        return List.copyOf(out);
    }
}
