package io.github.dl4jgrpoma.examples.math;

import io.github.dl4jgrpoma.reward.OverlongPenaltyReward;

import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.FormatReward;
import io.github.dl4jgrpoma.reward.NumericMatchReward;

/**
 * The math task's reward: {@code total = correct + formatWeight * format}, where {@code correct} is 1 when
 * the answer parses as a number equal to the expected one ({@link NumericMatchReward}) and {@code format} is
 * 1 when the answer parses as a number at all ({@link FormatReward#numericAnswer}).
 */
public final class MathRewards {
    /** Name of the exact-match reward; the trainer's accuracy metric reads it. */
    public static final String CORRECT = "correct";
    /** Name of the format reward. */
    public static final String FORMAT = "format";

    private MathRewards() {
    }

    /** The composite reward with the given weight of the format term (for example 0.1). */
    public static CompositeReward create(double formatWeight) {
        return create(formatWeight, 0, 0);
    }

    /**
     * The composite reward, plus DAPO's soft overlong penalty ({@link OverlongPenaltyReward}, weight 1, named
     * {@value OverlongPenaltyReward#DEFAULT_NAME}) when {@code overlongCache > 0}.
     *
     * @param overlongMax   {@code L_max} of the penalty in response tokens (ignored when {@code overlongCache = 0})
     * @param overlongCache {@code L_cache}; 0 leaves the penalty out
     */
    public static CompositeReward create(double formatWeight, int overlongMax, int overlongCache) {
        if (!(formatWeight >= 0) || !Double.isFinite(formatWeight)) {
            throw new IllegalArgumentException("format reward weight must be finite and >= 0, got " + formatWeight);
        }
        CompositeReward.Builder b = CompositeReward.builder()
                .add(new NumericMatchReward(CORRECT, MathPromptSource.EXPECTED, 1e-9), 1.0)
                .add(FormatReward.numericAnswer(FORMAT, 1.0), formatWeight);
        if (overlongCache > 0) {
            b.add(new OverlongPenaltyReward(OverlongPenaltyReward.DEFAULT_NAME, overlongMax, overlongCache), 1.0);
        }
        return b.build();
    }
}
