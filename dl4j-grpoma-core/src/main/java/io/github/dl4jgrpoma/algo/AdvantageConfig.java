package io.github.dl4jgrpoma.algo;

/**
 * Immutable options of the advantage estimators.
 *
 * <p>Defaults ({@link #defaults()}):
 * <ul>
 *   <li>{@code delta = 1e-4}: added to the group std in the denominator, as TRL's {@code GRPOTrainer}
 *       does; it keeps the advantage finite for groups with a tiny spread. The paper writes the
 *       normalisation without naming a constant. {@code delta = 0} is allowed: groups whose values are all
 *       equal get advantage exactly 0 whatever delta is, "all equal" meaning equal up to a relative
 *       tolerance of 1e-9 of the values' scale ({@link GroupStats#RELATIVE_TOLERANCE}), so rounding
 *       residues such as {@code 0.1 + 0.2} vs {@code 0.3} never become advantages (see
 *       {@link GroupStats#normalize}).</li>
 *   <li>{@code stdConvention = SAMPLE} (n - 1), what {@code torch.std} computes in TRL and verl; the paper
 *       does not say.</li>
 *   <li>{@code answerNormalization = PROMPT}: answers normalised over all {@code K*M} answers of the
 *       prompt (GRPO-MA.md step 6); {@code THOUGHT} is the per-thought ablation.</li>
 *   <li>{@code scaleRewards = GROUP}: divide by the std of the value's own group at both levels (GRPO);
 *       {@code BATCH} divides by the std over the whole batch, {@code NONE} only centres (TRL's
 *       {@code scale_rewards}; see {@link RewardScaling}).</li>
 * </ul>
 *
 * @param delta               constant added to the std in the denominator; finite and {@code >= 0}
 * @param stdConvention       population (n) or sample (n - 1) std; not null
 * @param answerNormalization group over which answer rewards are normalised; not null
 * @param scaleRewards        what centred thought values and answer rewards are divided by; not null
 */
public record AdvantageConfig(double delta, StdConvention stdConvention, AnswerNormalization answerNormalization,
                              RewardScaling scaleRewards) {

    /** Default {@code delta}, 1e-4 (TRL's {@code epsilon} in the advantage denominator). */
    public static final double DEFAULT_DELTA = 1e-4;

    /** Validates every field; messages name the field, the value and the fix. */
    public AdvantageConfig {
        if (!Double.isFinite(delta) || delta < 0) {
            throw new IllegalArgumentException("AdvantageConfig.delta must be finite and >= 0, got " + delta
                    + "; use a small non-negative constant such as " + DEFAULT_DELTA + " (the default) or 0");
        }
        if (stdConvention == null) {
            throw new IllegalArgumentException("AdvantageConfig.stdConvention must not be null, got null; use "
                    + "StdConvention.SAMPLE (the default) or StdConvention.POPULATION");
        }
        if (answerNormalization == null) {
            throw new IllegalArgumentException("AdvantageConfig.answerNormalization must not be null, got null; "
                    + "use AnswerNormalization.PROMPT (the default) or AnswerNormalization.THOUGHT");
        }
        if (scaleRewards == null) {
            throw new IllegalArgumentException("AdvantageConfig.scaleRewards must not be null, got null; use "
                    + "RewardScaling.GROUP (the default), BATCH or NONE");
        }
    }

    /** delta 1e-4, SAMPLE std, PROMPT answer normalisation, GROUP reward scaling. */
    public static AdvantageConfig defaults() {
        return new AdvantageConfig(DEFAULT_DELTA, StdConvention.defaultConvention(),
                AnswerNormalization.defaultNormalization(), RewardScaling.defaultScaling());
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A copy with another {@code delta}. */
    public AdvantageConfig withDelta(double newDelta) {
        return new AdvantageConfig(newDelta, stdConvention, answerNormalization, scaleRewards);
    }

    /** A copy with another std convention. */
    public AdvantageConfig withStdConvention(StdConvention newConvention) {
        return new AdvantageConfig(delta, newConvention, answerNormalization, scaleRewards);
    }

    /** A copy with another answer normalisation. */
    public AdvantageConfig withAnswerNormalization(AnswerNormalization newNormalization) {
        return new AdvantageConfig(delta, stdConvention, newNormalization, scaleRewards);
    }

    /** A copy with another reward scaling. */
    public AdvantageConfig withScaleRewards(RewardScaling newScaling) {
        return new AdvantageConfig(delta, stdConvention, answerNormalization, newScaling);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private double delta;
        private StdConvention stdConvention;
        private AnswerNormalization answerNormalization;
        private RewardScaling scaleRewards;

        private Builder(AdvantageConfig start) {
            this.scaleRewards = start.scaleRewards;
            this.delta = start.delta;
            this.stdConvention = start.stdConvention;
            this.answerNormalization = start.answerNormalization;
        }

        /** Sets {@link AdvantageConfig#delta()}. */
        public Builder delta(double value) {
            this.delta = value;
            return this;
        }

        /** Sets {@link AdvantageConfig#stdConvention()}. */
        public Builder stdConvention(StdConvention value) {
            this.stdConvention = value;
            return this;
        }

        /** Sets {@link AdvantageConfig#answerNormalization()}. */
        public Builder answerNormalization(AnswerNormalization value) {
            this.answerNormalization = value;
            return this;
        }

        /** Sets {@link AdvantageConfig#scaleRewards()}. */
        public Builder scaleRewards(RewardScaling value) {
            this.scaleRewards = value;
            return this;
        }

        /** Builds and validates the config. */
        public AdvantageConfig build() {
            return new AdvantageConfig(delta, stdConvention, answerNormalization, scaleRewards);
        }
    }
}
