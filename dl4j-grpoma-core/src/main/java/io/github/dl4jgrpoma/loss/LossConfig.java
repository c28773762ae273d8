package io.github.dl4jgrpoma.loss;

/**
 * Immutable settings of the GRPO / GRPO-MA clipped policy loss built by {@link GrpoLoss}.
 *
 * <p>Per loss-carrying token {@code t} (see {@link GrpoLoss} for the full equations):
 * {@code r_t = exp(logp_t - old_t)},
 * {@code o_t = min(r_t A_t, clip(r_t, 1 - epsLow, 1 + epsHigh) A_t) - beta * kl_t}; the named
 * {@link #aggregation} turns the {@code o_t} into the scalar loss.
 *
 * @param epsLow             lower clip range: the ratio is clipped below at {@code 1 - epsLow}. Default
 *                           {@value #DEFAULT_EPS_LOW} (PPO / GRPO). Must lie in (0, 1).
 * @param epsHigh            upper clip range: the ratio is clipped above at {@code 1 + epsHigh}. Default
 *                           {@value #DEFAULT_EPS_HIGH}; DAPO's "clip-higher" uses 0.28. Must be {@code > 0}.
 * @param beta               coefficient of the per-token KL penalty to the reference policy. Default
 *                           {@value #DEFAULT_BETA}, as current TRL (DeepSeekMath's GRPO used 0.04). With 0
 *                           the graph has no reference placeholder and needs no reference model. Must be
 *                           {@code >= 0}.
 * @param klEstimator        per-token KL estimator of the penalty; default {@link KlEstimator#K3}, also
 *                           {@link KlEstimator#K2}; k1 is not offered (its gradient does not lower the KL).
 * @param aggregation        name of the {@link LossAggregation} in the {@link AggregationRegistry}; default
 *                           {@value #DEFAULT_AGGREGATION} (the paper's per-sequence means, GRPO-MA.md
 *                           step 8); {@code "token-mean"} (DAPO), {@code "constant"} (Dr. GRPO) and
 *                           {@code "bnpo"} (normalised per local batch) are the other built-ins. Must be non-blank; whether it is registered is checked when
 *                           the loss is attached.
 * @param thoughtWeight      weight {@code w_th} of the thought-token terms (answer terms have weight 1).
 *                           Default {@value #DEFAULT_THOUGHT_WEIGHT}; the paper does not publish its
 *                           weighting. Must be {@code >= 0}.
 * @param constantNormalizer the constant {@code C} of the {@code "constant"} (Dr. GRPO) aggregation,
 *                           {@code L = -sum (w_th th + ans) o / C}. Default {@value #DEFAULT_CONSTANT_NORMALIZER},
 *                           which means "automatic": {@code C = rows x T} of the batch fed (the number of
 *                           positions of the mask placeholders, like TRL's
 *                           {@code batch x max_completion_length}). A positive value is used as is; set it
 *                           to e.g. {@code rows x max response tokens} to keep {@code C} fixed across batches
 *                           of different sizes. Ignored by the other aggregations. Must be {@code >= 0}.
 * @param importanceRatio    name of the {@link ImportanceRatio} in the {@link ImportanceRatioRegistry}: default
 *                           {@value #DEFAULT_IMPORTANCE_RATIO} (one ratio per token, PPO / GRPO); {@code "sequence"}
 *                           (GSPO: one length-normalised ratio per thought and per answer, clipped per sequence) and
 *                           {@code "sequence-token"} (GSPO-token). Must be non-blank; checked against the registry when
 *                           the loss is attached.
 * @param maskTruncatedCompletions when true, the trainer removes truncated sequences from the loss (their mask
 *                           entries become 0, so they leave the normalisers too): a thought that hit its cap loses its
 *                           thought tokens, an answer that hit its cap its answer tokens (TRL's
 *                           {@code mask_truncated_completions}; DAPO's overlong filtering). Default false.
 * @param entropyTopFraction fraction {@code rho} of the loss tokens of a step that keep their loss: the trainer ranks
 *                           the loss tokens by the policy's entropy before the update and masks all but the highest
 *                           {@code ceil(rho N)} ("forking tokens", Wang et al., "Beyond the 80/20 Rule: High-Entropy
 *                           Minority Tokens Drive Effective RL for LLM Reasoning", arXiv 2506.01939, 2025, which keeps
 *                           rho = 0.2). Default {@value #DEFAULT_ENTROPY_TOP_FRACTION} = off (every token). Must lie in
 *                           (0, 1].
 */
public record LossConfig(double epsLow, double epsHigh, double beta, KlEstimator klEstimator, String aggregation,
                         double thoughtWeight, double constantNormalizer, String importanceRatio,
                         boolean maskTruncatedCompletions, double entropyTopFraction) {

    /** Default of {@link #epsLow()}. */
    public static final double DEFAULT_EPS_LOW = 0.2;
    /** Default of {@link #epsHigh()}. */
    public static final double DEFAULT_EPS_HIGH = 0.2;
    /** Default of {@link #beta()}. */
    public static final double DEFAULT_BETA = 0.0;
    /** Default of {@link #aggregation()}. */
    public static final String DEFAULT_AGGREGATION = "sequence-mean";
    /** Default of {@link #thoughtWeight()}. */
    public static final double DEFAULT_THOUGHT_WEIGHT = 1.0;
    /** Default of {@link #constantNormalizer()}: 0 means rows x T of the batch. */
    public static final double DEFAULT_CONSTANT_NORMALIZER = 0.0;
    /** Default of {@link #importanceRatio()}. */
    public static final String DEFAULT_IMPORTANCE_RATIO = "token";
    /** Default of {@link #entropyTopFraction()}: 1 keeps every token (selection off). */
    public static final double DEFAULT_ENTROPY_TOP_FRACTION = 1.0;

    /** Validates every field; messages name the field, the value and the fix. */
    public LossConfig {
        if (!(epsLow > 0 && epsLow < 1)) {
            throw new IllegalArgumentException("LossConfig.epsLow must lie in (0, 1), got " + epsLow
                    + "; use e.g. 0.2 (the ratio is clipped below at 1 - epsLow)");
        }
        if (!(epsHigh > 0) || Double.isInfinite(epsHigh)) {
            throw new IllegalArgumentException("LossConfig.epsHigh must be finite and > 0, got " + epsHigh
                    + "; use e.g. 0.2 (PPO/GRPO) or 0.28 (DAPO)");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("LossConfig.beta must be finite and >= 0, got " + beta
                    + "; use 0 for no KL penalty or e.g. 0.04");
        }
        if (klEstimator == null) {
            throw new IllegalArgumentException("LossConfig.klEstimator must not be null; use KlEstimator.K3 (default) or K2");
        }
        if (aggregation == null || aggregation.isBlank()) {
            throw new IllegalArgumentException("LossConfig.aggregation must be a non-blank name, got '" + aggregation
                    + "'; use one of sequence-mean (default), token-mean, constant, bnpo, or a name you registered");
        }
        if (!(thoughtWeight >= 0) || Double.isInfinite(thoughtWeight)) {
            throw new IllegalArgumentException("LossConfig.thoughtWeight must be finite and >= 0, got " + thoughtWeight
                    + "; use 1.0 (default) to weigh thought and answer terms equally");
        }
        if (!(constantNormalizer >= 0) || Double.isInfinite(constantNormalizer)) {
            throw new IllegalArgumentException("LossConfig.constantNormalizer must be finite and >= 0, got "
                    + constantNormalizer + "; use 0 (default: rows x T of the batch) or a positive constant such as"
                    + " rows x max response tokens");
        }
        if (importanceRatio == null || importanceRatio.isBlank()) {
            throw new IllegalArgumentException("LossConfig.importanceRatio must be a non-blank name, got '" + importanceRatio
                    + "'; use one of token (default), sequence (GSPO), sequence-token (GSPO-token), or a name you registered");
        }
        if (!(entropyTopFraction > 0 && entropyTopFraction <= 1)) {
            throw new IllegalArgumentException("LossConfig.entropyTopFraction must lie in (0, 1], got " + entropyTopFraction
                    + "; use 1 (default: every token) or e.g. 0.2 (train on the 20% highest-entropy tokens)");
        }
    }

    /** All defaults: clip 0.2/0.2, beta 0, K3, sequence-mean, w_th 1, automatic constant normaliser. */
    public static LossConfig defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder().epsLow(epsLow).epsHigh(epsHigh).beta(beta).klEstimator(klEstimator)
                .aggregation(aggregation).thoughtWeight(thoughtWeight).constantNormalizer(constantNormalizer)
                .importanceRatio(importanceRatio).maskTruncatedCompletions(maskTruncatedCompletions)
                .entropyTopFraction(entropyTopFraction);
    }

    /** True when the graph needs reference log-probabilities ({@code beta > 0}). */
    public boolean usesReference() {
        return beta > 0;
    }

    /** Mutable builder of {@link LossConfig}; {@link #build()} validates. */
    public static final class Builder {
        private double epsLow = DEFAULT_EPS_LOW;
        private double epsHigh = DEFAULT_EPS_HIGH;
        private double beta = DEFAULT_BETA;
        private KlEstimator klEstimator = KlEstimator.K3;
        private String aggregation = DEFAULT_AGGREGATION;
        private double thoughtWeight = DEFAULT_THOUGHT_WEIGHT;
        private double constantNormalizer = DEFAULT_CONSTANT_NORMALIZER;
        private String importanceRatio = DEFAULT_IMPORTANCE_RATIO;
        private boolean maskTruncatedCompletions;
        private double entropyTopFraction = DEFAULT_ENTROPY_TOP_FRACTION;

        private Builder() {
        }

        /** See {@link LossConfig#epsLow()}. */
        public Builder epsLow(double value) {
            this.epsLow = value;
            return this;
        }

        /** See {@link LossConfig#epsHigh()}. */
        public Builder epsHigh(double value) {
            this.epsHigh = value;
            return this;
        }

        /** See {@link LossConfig#beta()}. */
        public Builder beta(double value) {
            this.beta = value;
            return this;
        }

        /** See {@link LossConfig#klEstimator()}. */
        public Builder klEstimator(KlEstimator value) {
            this.klEstimator = value;
            return this;
        }

        /** See {@link LossConfig#aggregation()}. */
        public Builder aggregation(String value) {
            this.aggregation = value;
            return this;
        }

        /** See {@link LossConfig#thoughtWeight()}. */
        public Builder thoughtWeight(double value) {
            this.thoughtWeight = value;
            return this;
        }

        /** See {@link LossConfig#constantNormalizer()}. */
        public Builder constantNormalizer(double value) {
            this.constantNormalizer = value;
            return this;
        }

        /** See {@link LossConfig#importanceRatio()}. */
        public Builder importanceRatio(String value) {
            this.importanceRatio = value;
            return this;
        }

        /** See {@link LossConfig#maskTruncatedCompletions()}. */
        public Builder maskTruncatedCompletions(boolean value) {
            this.maskTruncatedCompletions = value;
            return this;
        }

        /** See {@link LossConfig#entropyTopFraction()}. */
        public Builder entropyTopFraction(double value) {
            this.entropyTopFraction = value;
            return this;
        }

        /** Builds and validates. */
        public LossConfig build() {
            return new LossConfig(epsLow, epsHigh, beta, klEstimator, aggregation,
                    thoughtWeight, constantNormalizer, importanceRatio, maskTruncatedCompletions, entropyTopFraction);
        }
    }
}
