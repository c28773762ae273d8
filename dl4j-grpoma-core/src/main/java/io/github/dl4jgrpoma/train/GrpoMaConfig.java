package io.github.dl4jgrpoma.train;

import java.util.Set;

import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.rollout.RolloutConfig;

/**
 * Everything {@link GrpoMaTrainer} needs to know about a run. Immutable; build it with {@link #builder()}.
 *
 * @param rollout           K, M, caps and sampling (default {@code RolloutConfig.builder().build()}: T4A4,
 *                          32 thought / 8 answer tokens, temperature 1)
 * @param estimator         advantage estimator name in the trainer's registry (default {@value #DEFAULT_ESTIMATOR};
 *                          an estimator with coupled packing, such as plain GRPO, needs M = 1)
 * @param advantage         advantage options (default {@link AdvantageConfig#defaults()})
 * @param loss              loss options (default {@link LossConfig#defaults()}: clip 0.2, beta 0, sequence-mean)
 * @param optimizer         Adam settings (default {@link OptimizerConfig#defaults()}: lr 1e-3, clip norm 1)
 * @param promptsPerStep    prompts per RL step (default 8), {@code >= 1}
 * @param innerEpochs       gradient steps on the same rollout batch (PPO-style; default 1), {@code >= 1}; with
 *                          1 the ratio is 1 and clipping never acts
 * @param steps             total RL steps of {@link GrpoMaTrainer#fit()} (builder default 100), {@code >= 0}; not
 *                          part of the checkpoint fingerprint ({@link #NOT_FINGERPRINTED}), so a resumed run may
 *                          extend it
 * @param dynamicSampling   filtering of prompts without reward spread (default {@link DynamicSampling#OFF})
 * @param packing           advantage placement (default {@link PackingMode#AUTO})
 * @param rewardErrorPolicy what a throwing or non-finite reward does (default {@link RewardErrorPolicy#fail()})
 * @param seed              seed of all randomness: step {@code s} draws prompts and rollouts from seeds derived
 *                          from {@code (seed, s)} (default 42)
 * @param checkpointEvery   with a checkpoint directory, write a checkpoint every N steps (default
 *                          {@value #DEFAULT_CHECKPOINT_EVERY}; 0 = only at the end) and always at the end of
 *                          {@code fit}; without a directory nothing is written. {@code >= 0}
 * @param keepCheckpoints   checkpoints kept (default 3), {@code >= 1}
 * @param successThreshold  an answer counts as correct for the {@code accuracy} metric when its score is
 *                          {@code >= successThreshold} (default 1.0), finite
 * @param accuracyReward    whose score {@code accuracy} compares: {@code ""} (default) the weighted total, or
 *                          the name of one reward of the composite (e.g. {@code "correct"}), never null
 * @param oldLogProbs       where the PPO ratio's old log-probs come from (default {@link OldLogProbs#AUTO}: recomputed
 *                          by the trainer when the rollout runs in shards, so sharding never changes the weights)
 */
public record GrpoMaConfig(RolloutConfig rollout, String estimator, AdvantageConfig advantage, LossConfig loss,
                           OptimizerConfig optimizer, int promptsPerStep, int innerEpochs, long steps,
                           DynamicSampling dynamicSampling, PackingMode packing, RewardErrorPolicy rewardErrorPolicy,
                           long seed, int checkpointEvery, int keepCheckpoints, double successThreshold,
                           String accuracyReward, OldLogProbs oldLogProbs) {
    /** Default of {@link #estimator()}. */
    public static final String DEFAULT_ESTIMATOR = "grpo-ma";
    /** Default of {@link #promptsPerStep()}. */
    public static final int DEFAULT_PROMPTS_PER_STEP = 8;
    /** Default of {@link #keepCheckpoints()}. */
    public static final int DEFAULT_KEEP_CHECKPOINTS = 3;
    /** Default of {@link #checkpointEvery()}: often enough to lose little work, rare enough to cost little. */
    public static final int DEFAULT_CHECKPOINT_EVERY = 50;
    /**
     * The fields left out of the checkpoint fingerprint (a resumed run may run longer or checkpoint
     * differently); every other field, nested ones included, enters it through
     * {@link io.github.dl4jgrpoma.config.ConfigJson#fingerprint}.
     */
    public static final Set<String> NOT_FINGERPRINTED = Set.of("steps", "checkpointEvery", "keepCheckpoints");

    /** Validates every field; messages name the field, the value and the fix. */
    public GrpoMaConfig {
        require(rollout != null, "rollout", rollout, "pass a RolloutConfig, e.g. RolloutConfig.builder().build()");
        require(estimator != null && !estimator.isBlank(), "estimator", estimator,
                "use one of grpo-ma (default), grpo, dr-grpo");
        require(advantage != null, "advantage", advantage, "pass AdvantageConfig.defaults()");
        require(loss != null, "loss", loss, "pass LossConfig.defaults()");
        require(optimizer != null, "optimizer", optimizer, "pass OptimizerConfig.defaults()");
        int k = rollout.thoughts();
        int m = rollout.answersPerThought();
        require((long) k * m >= 2, "rollout.thoughts x answersPerThought", k + " x " + m,
                "GRPO needs a group of at least 2 answers per prompt: raise K or M");
        require(promptsPerStep >= 1, "promptsPerStep", promptsPerStep, "use at least 1 prompt per step (default 8)");
        require(innerEpochs >= 1, "innerEpochs", innerEpochs, "use at least 1 gradient step per rollout batch");
        require(steps >= 0, "steps", steps, "use the number of RL steps to run (>= 0)");
        require(dynamicSampling != null, "dynamicSampling", dynamicSampling, "use OFF (default) or DROP");
        require(packing != null, "packing", packing, "use AUTO (default), DECOUPLED or COUPLED");
        require(!(packing == PackingMode.COUPLED && m > 1), "packing", packing + " with M = " + m,
                "COUPLED packing is plain GRPO and needs M = 1; use DECOUPLED or AUTO");
        require(rewardErrorPolicy != null, "rewardErrorPolicy", rewardErrorPolicy,
                "use RewardErrorPolicy.fail() (default) or substitute(value)");
        require(checkpointEvery >= 0, "checkpointEvery", checkpointEvery,
                "use a positive number of steps (default " + DEFAULT_CHECKPOINT_EVERY + ") or 0 (only at the end)");
        require(keepCheckpoints >= 1, "keepCheckpoints", keepCheckpoints, "keep at least 1 checkpoint (default 3)");
        require(Double.isFinite(successThreshold), "successThreshold", successThreshold,
                "use a finite score, e.g. 1.0 for 0/1 correctness rewards");
        require(accuracyReward != null, "accuracyReward", accuracyReward,
                "use \"\" for the weighted total or the name of one reward");
        require(oldLogProbs != null, "oldLogProbs", oldLogProbs, "use AUTO (default), ROLLOUT or RECOMPUTE");
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder().rollout(rollout).estimator(estimator).advantage(advantage).loss(loss).optimizer(optimizer)
                .promptsPerStep(promptsPerStep).innerEpochs(innerEpochs).steps(steps).dynamicSampling(dynamicSampling)
                .packing(packing).rewardErrorPolicy(rewardErrorPolicy).seed(seed).checkpointEvery(checkpointEvery)
                .keepCheckpoints(keepCheckpoints).successThreshold(successThreshold).accuracyReward(accuracyReward).oldLogProbs(oldLogProbs);
    }

    /**
     * Checks that the estimator is registered.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public void requireEstimatorIn(AdvantageEstimators registry) {
        require(registry.contains(estimator), "estimator", estimator, "use one of " + registry.names()
                + " or register your estimator in the AdvantageEstimators passed to the trainer");
    }

    /**
     * Reads a (partial) JSON config: the fields present replace the {@link #builder()} defaults.
     *
     * @param source names the text in error messages (e.g. the file name)
     * @throws IllegalArgumentException naming the field, the value and the fix
     */
    public static GrpoMaConfig fromJson(String json, String source) {
        return io.github.dl4jgrpoma.config.ConfigJson.read(json, GrpoMaConfig.class, builder().build(), source);
    }

    /** This config as readable JSON (see {@link io.github.dl4jgrpoma.config.ConfigJson}). */
    public String toJson() {
        return io.github.dl4jgrpoma.config.ConfigJson.toJson(this);
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("GrpoMaConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** Mutable builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private RolloutConfig rollout = RolloutConfig.builder().build();
        private String estimator = DEFAULT_ESTIMATOR;
        private AdvantageConfig advantage = AdvantageConfig.defaults();
        private LossConfig loss = LossConfig.defaults();
        private OptimizerConfig optimizer = OptimizerConfig.defaults();
        private int promptsPerStep = DEFAULT_PROMPTS_PER_STEP;
        private int innerEpochs = 1;
        private long steps = 100;
        private DynamicSampling dynamicSampling = DynamicSampling.OFF;
        private PackingMode packing = PackingMode.AUTO;
        private RewardErrorPolicy rewardErrorPolicy = RewardErrorPolicy.fail();
        private long seed = 42;
        private int checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        private int keepCheckpoints = DEFAULT_KEEP_CHECKPOINTS;
        private double successThreshold = 1.0;
        private String accuracyReward = "";
        private OldLogProbs oldLogProbs = OldLogProbs.AUTO;

        private Builder() {
        }

        /** See {@link GrpoMaConfig#rollout()}. */
        public Builder rollout(RolloutConfig v) {
            rollout = v;
            return this;
        }

        /** See {@link GrpoMaConfig#estimator()}. */
        public Builder estimator(String v) {
            estimator = v;
            return this;
        }

        /** See {@link GrpoMaConfig#advantage()}. */
        public Builder advantage(AdvantageConfig v) {
            advantage = v;
            return this;
        }

        /** See {@link GrpoMaConfig#loss()}. */
        public Builder loss(LossConfig v) {
            loss = v;
            return this;
        }

        /** See {@link GrpoMaConfig#optimizer()}. */
        public Builder optimizer(OptimizerConfig v) {
            optimizer = v;
            return this;
        }

        /** See {@link GrpoMaConfig#promptsPerStep()}. */
        public Builder promptsPerStep(int v) {
            promptsPerStep = v;
            return this;
        }

        /** See {@link GrpoMaConfig#innerEpochs()}. */
        public Builder innerEpochs(int v) {
            innerEpochs = v;
            return this;
        }

        /** See {@link GrpoMaConfig#steps()} (builder default 100). */
        public Builder steps(long v) {
            steps = v;
            return this;
        }

        /** See {@link GrpoMaConfig#dynamicSampling()}. */
        public Builder dynamicSampling(DynamicSampling v) {
            dynamicSampling = v;
            return this;
        }

        /** See {@link GrpoMaConfig#packing()}. */
        public Builder packing(PackingMode v) {
            packing = v;
            return this;
        }

        /** See {@link GrpoMaConfig#rewardErrorPolicy()}. */
        public Builder rewardErrorPolicy(RewardErrorPolicy v) {
            rewardErrorPolicy = v;
            return this;
        }

        /** See {@link GrpoMaConfig#seed()}. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** See {@link GrpoMaConfig#checkpointEvery()}. */
        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** See {@link GrpoMaConfig#keepCheckpoints()}. */
        public Builder keepCheckpoints(int v) {
            keepCheckpoints = v;
            return this;
        }

        /** See {@link GrpoMaConfig#successThreshold()}. */
        public Builder successThreshold(double v) {
            successThreshold = v;
            return this;
        }

        /** See {@link GrpoMaConfig#accuracyReward()}. */
        public Builder accuracyReward(String v) {
            accuracyReward = v;
            return this;
        }

        /** See {@link GrpoMaConfig#oldLogProbs()}. */
        public Builder oldLogProbs(OldLogProbs v) {
            oldLogProbs = v;
            return this;
        }

        /** Validates, including that the estimator is one of the built-ins ({@link AdvantageEstimators#defaults()}). */
        public GrpoMaConfig build() {
            return build(AdvantageEstimators.defaults());
        }

        /** Validates, checking the estimator name against {@code registry}. */
        public GrpoMaConfig build(AdvantageEstimators registry) {
            GrpoMaConfig c = new GrpoMaConfig(rollout, estimator, advantage, loss, optimizer, promptsPerStep, innerEpochs,
                    steps, dynamicSampling, packing, rewardErrorPolicy, seed, checkpointEvery, keepCheckpoints,
                    successThreshold, accuracyReward, oldLogProbs);
            c.requireEstimatorIn(registry);
            return c;
        }
    }
}
