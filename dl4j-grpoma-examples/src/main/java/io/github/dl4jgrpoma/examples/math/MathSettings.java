package io.github.dl4jgrpoma.examples.math;

import io.github.dl4jgrpoma.examples.ExecutorSettings;
import io.github.dl4jgrpoma.examples.SettingsChecks;
import io.github.dl4jgrpoma.algo.RewardScaling;
import io.github.dl4jgrpoma.loss.ImportanceRatioRegistry;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.loss.AggregationRegistry;
import io.github.dl4jgrpoma.loss.LossConfig;

/**
 * Every knob of a math run (SFT warm-up, then GRPO-MA, then evaluation), with defaults that finish on two
 * CPU cores in a few minutes. The defaults live in {@link #defaults()} only; a run's settings are written as
 * {@code config.json} into its output folder (JSON through {@link ConfigJson}, one field per component), read
 * back by {@code --config FILE} and {@code --resume}, and overridden by command-line flags
 * ({@link MathCommand#FLAGS} maps each flag to its field). Copies are made through the JSON tree
 * ({@link #with(String, Object)}), so no code restates the component list.
 *
 * @param task           the problems: operations, operand digits, held-out share
 * @param width          transformer width, 8..1024, divisible by {@code heads}
 * @param layers         transformer layers, 1..48
 * @param heads          attention heads, 1..64
 * @param sftSteps       SFT warm-up steps, 0..1,000,000
 * @param sftBatch       traces per SFT step, 1..4096
 * @param sftLr          SFT learning rate, (0, 1]
 * @param mistakeRate    fraction of SFT traces with one wrong column, [0, 1]
 * @param sftTraces      size of the SFT trace pool, &gt;= 1
 * @param rlSteps        GRPO-MA steps, 0..1,000,000
 * @param thoughts       K, thoughts per prompt, 1..64
 * @param answers        M, answers per thought, 1..64 (1 with estimator {@code grpo})
 * @param promptsPerStep prompts per RL step, 1..4096
 * @param rlLr           RL learning rate, (0, 1]
 * @param temperature    sampling temperature, [0.001, 100]
 * @param estimator      advantage estimator: {@code grpo-ma}, {@code grpo} (M = 1), {@code dr-grpo}
 * @param innerEpochs    gradient steps per rollout batch, 1..100
 * @param beta           KL coefficient to the SFT policy, [0, 100] (0: no reference model)
 * @param formatWeight   weight of the format reward, [0, 10]
 * @param evalProblems   held-out and OOD problems evaluated, 1..100,000
 * @param evalSamples    samples per problem for pass@1, 0..1000 (0: greedy only)
 * @param evalEvery      held-out greedy evaluation every N RL steps, &gt;= 0 (0: only before and after)
 * @param seed           seed of everything (model init, data, sampling)
 * @param thoughtStyle   scratchpad style
 * @param aggregation    loss aggregation name (registered in {@link AggregationRegistry#defaults()})
 * @param thoughtWeight  weight w_th of thought-token terms, [0, 100]
 * @param epsLow         lower clip range of the ratio, (0, 1) (GSPO uses 3e-4)
 * @param epsHigh        upper clip range of the ratio, (0, 10] (DAPO 0.28, GSPO 4e-4)
 * @param importanceRatio importance ratio name: {@code token} (GRPO), {@code sequence} (GSPO),
 *                       {@code sequence-token} (GSPO-token)
 * @param scaleRewards   advantage scaling at both levels: group std, batch std or none
 * @param maskTruncated  leave truncated thoughts / answers out of the loss (TRL's mask_truncated_completions)
 * @param overlongCache  DAPO's soft overlong penalty buffer {@code L_cache} in tokens, 0 = off; {@code L_max} is
 *                       the thought cap plus the answer cap
 * @param entropyTopFraction fraction of the highest-entropy loss tokens that keep their loss, (0, 1] (1 = all;
 *                       the 80/20 study uses 0.2)
 * @param rollouts       where the RL rollouts and rewards run ({@code --executor}, {@code --master}, {@code --partitions})
 */
public record MathSettings(MathTask task, int width, int layers, int heads, int sftSteps, int sftBatch, double sftLr,
                           double mistakeRate, int sftTraces, int rlSteps, int thoughts, int answers,
                           int promptsPerStep, double rlLr, double temperature, String estimator, int innerEpochs,
                           double beta, double formatWeight, int evalProblems, int evalSamples, int evalEvery,
                           long seed, ThoughtStyle thoughtStyle, String aggregation, double thoughtWeight,
                           double epsLow, double epsHigh, String importanceRatio, RewardScaling scaleRewards,
                           boolean maskTruncated, int overlongCache, double entropyTopFraction,
                           ExecutorSettings rollouts) {

    private static final SettingsChecks CHECKS = new SettingsChecks("MathSettings");

    /** Validates every field; messages name the field, the value and the fix. */
    public MathSettings {
        require(task != null, "task", task, "give the operations and digit range, e.g. {\"minDigits\": 2, ...}");
        CHECKS.model(width, layers, heads);
        CHECKS.sft(sftSteps, sftBatch, sftLr, mistakeRate);
        require(sftTraces >= 1, "sftTraces", sftTraces, "use at least 1 trace");
        CHECKS.rl(rlSteps, thoughts, answers, estimator, promptsPerStep, rlLr, temperature);
        require(innerEpochs >= 1 && innerEpochs <= 100, "innerEpochs", innerEpochs, "use 1..100");
        require(beta >= 0 && beta <= 100, "beta", beta, "use 0 (no KL) .. 100");
        require(formatWeight >= 0 && formatWeight <= 10, "formatWeight", formatWeight, "use 0..10");
        require(evalProblems >= 1 && evalProblems <= 100_000, "evalProblems", evalProblems, "use 1..100000");
        require(evalSamples >= 0 && evalSamples <= 1000, "evalSamples", evalSamples, "use 0 (greedy only)..1000");
        require(evalEvery >= 0, "evalEvery", evalEvery, "use 0 (only before and after RL) or a number of steps");
        require(thoughtStyle != null, "thoughtStyle", thoughtStyle, "use full or no-carry");
        require(aggregation != null && AggregationRegistry.defaults().names().contains(aggregation), "aggregation",
                aggregation, "use one of " + AggregationRegistry.defaults().names());
        require(thoughtWeight >= 0 && thoughtWeight <= 100, "thoughtWeight", thoughtWeight, "use 0..100");
        require(epsLow > 0 && epsLow < 1, "epsLow", epsLow, "use a clip range in (0, 1), e.g. 0.2 (GRPO) or 3e-4 (GSPO)");
        require(epsHigh > 0 && epsHigh <= 10, "epsHigh", epsHigh, "use a clip range in (0, 10], e.g. 0.2, 0.28 (DAPO) or 4e-4 (GSPO)");
        require(importanceRatio != null && ImportanceRatioRegistry.defaults().contains(importanceRatio), "importanceRatio",
                importanceRatio, "use one of " + ImportanceRatioRegistry.defaults().names());
        require(scaleRewards != null, "scaleRewards", scaleRewards, "use group, batch or none");
        int responseCap = responseCap(task);
        require(overlongCache >= 0 && overlongCache <= responseCap, "overlongCache", overlongCache,
                "use 0 (off) .. " + responseCap + " (the response length cap)");
        require(entropyTopFraction > 0 && entropyTopFraction <= 1, "entropyTopFraction", entropyTopFraction,
                "use a fraction in (0, 1], e.g. 0.2; 1 trains on every token");
        require(rollouts != null, "rollouts", rollouts, "give {\"executor\": \"in-process\"} or leave the field out");
    }

    /** The defaults of {@code bin/grpoma math} (the only place they are written down). */
    public static MathSettings defaults() {
        return new MathSettings(MathTask.defaults(), 64, 2, 4, 600, 32, 3e-3, 0.2, 20_000, 200, 4, 4, 16, 2e-4, 1.0,
                "grpo-ma", 1, 0.0, 0.1, 200, 4, 25, 1, ThoughtStyle.FULL, LossConfig.DEFAULT_AGGREGATION,
                LossConfig.DEFAULT_THOUGHT_WEIGHT, LossConfig.DEFAULT_EPS_LOW, LossConfig.DEFAULT_EPS_HIGH,
                LossConfig.DEFAULT_IMPORTANCE_RATIO, RewardScaling.defaultScaling(), false, 0,
                LossConfig.DEFAULT_ENTROPY_TOP_FRACTION, ExecutorSettings.defaults());
    }

    /**
     * A copy with one top-level field replaced (validated again).
     *
     * @param field a component name, e.g. {@code "seed"}
     * @param value its new value (converted as JSON would be)
     * @throws IllegalArgumentException for an unknown field or an invalid value
     */
    public MathSettings with(String field, Object value) {
        ObjectNode t = ConfigJson.tree(this);
        t.putPOJO(field, value);
        return ConfigJson.fromTree(ConfigJson.tree(t), MathSettings.class, "MathSettings.with");
    }

    /** A copy with another K, M, estimator and periodic evaluation (the study's shapes). */
    public MathSettings withShape(int k, int m, String newEstimator, int newEvalEvery) {
        return with("thoughts", k).with("answers", m).with("estimator", newEstimator).with("evalEvery", newEvalEvery);
    }

    /** Thought cap plus answer cap in tokens: {@code L_max} of the overlong penalty. */
    public int responseCap() {
        return responseCap(task);
    }

    private static int responseCap(MathTask task) {
        int digits = task.maxDigits() + 1;
        return MathTask.maxThoughtChars(digits) + 1 + MathTask.maxAnswerChars(digits) + 1;
    }

    /** Longest operand digits the model must handle: the training range plus one for the OOD slice. */
    public int maxDigitsSeen() {
        return task.maxDigits() + 1;
    }

    /** Thought cap in tokens: the longest scratchpad of the OOD slice plus end-of-thought. */
    public int maxThoughtTokens() {
        return MathTask.maxThoughtChars(maxDigitsSeen()) + 1;
    }

    /** Answer cap in tokens: the longest OOD answer plus EOS. */
    public int maxAnswerTokens() {
        return MathTask.maxAnswerChars(maxDigitsSeen()) + 1;
    }

    /** Sequence length of the model: BOS + prompt + begin-thought + thought cap + forced end-of-thought + answer cap. */
    public int maxLength() {
        return 2 + MathTask.maxPromptChars(maxDigitsSeen()) + maxThoughtTokens() + 1 + maxAnswerTokens();
    }

    /** The loss options of the RL phase. */
    public LossConfig lossConfig() {
        return LossConfig.builder().beta(beta).aggregation(aggregation).thoughtWeight(thoughtWeight).epsLow(epsLow)
                .epsHigh(epsHigh).importanceRatio(importanceRatio).maskTruncatedCompletions(maskTruncated)
                .entropyTopFraction(entropyTopFraction).build();
    }

    /** The run name used in logs, for example {@code T4A4}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        CHECKS.require(ok, field, value, fix);
    }
}
