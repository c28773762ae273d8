package io.github.dl4jgrpoma.examples.code;

import io.github.dl4jgrpoma.examples.ExecutorSettings;
import io.github.dl4jgrpoma.examples.SettingsChecks;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.config.ConfigJson;

/**
 * Everything a code run needs. The defaults live in {@link #defaults()} only; a run's settings are written as
 * {@code config.json} into its output folder (JSON through {@link ConfigJson}), read back by {@code --config FILE}
 * and {@code --resume}, and overridden by the flags of {@code bin/grpoma code} ({@code CodeCommand.FLAGS}).
 *
 * @param task           the problem generator and its held-out split
 * @param width          transformer width
 * @param layers         transformer layers
 * @param heads          attention heads
 * @param sftSteps       SFT warm-up steps
 * @param sftBatch       traces per SFT step
 * @param sftLr          SFT learning rate
 * @param mistakeRate    fraction of SFT traces with a misread parameter
 * @param sftTraces      distinct SFT traces generated
 * @param rlSteps        GRPO-MA steps
 * @param thoughts       K
 * @param answers        M
 * @param promptsPerStep prompts per RL step
 * @param rlLr           RL learning rate
 * @param temperature    sampling temperature (RL and pass@k)
 * @param estimator      advantage estimator name
 * @param parseWeight    weight of the parse reward
 * @param evalProblems   held-out problems evaluated (and held-out combinations)
 * @param passK          samples per problem for pass@1 and pass@k
 * @param rewardThreads  threads scoring rewards
 * @param rewardTimeoutMs per-answer reward timeout in ms
 * @param seed           seed of everything
 * @param rollouts       where the RL rollouts and rewards run ({@code --executor}, {@code --master}, {@code --partitions})
 */
public record CodeSettings(CodeTask task, int width, int layers, int heads, int sftSteps, int sftBatch, double sftLr,
                           double mistakeRate, int sftTraces, int rlSteps, int thoughts, int answers, int promptsPerStep,
                           double rlLr, double temperature, String estimator, double parseWeight, int evalProblems,
                           int passK, int rewardThreads, int rewardTimeoutMs, long seed, ExecutorSettings rollouts) {

    private static final SettingsChecks CHECKS = new SettingsChecks("CodeSettings");

    /** Validates every field; messages name the field, the value and the fix. */
    public CodeSettings {
        require(task != null, "task", task, "give the held-out share, e.g. {\"heldOutPercent\": 20}");
        CHECKS.model(width, layers, heads);
        CHECKS.sft(sftSteps, sftBatch, sftLr, mistakeRate);
        require(sftTraces >= 1, "sftTraces", sftTraces, "use at least 1 trace");
        CHECKS.rl(rlSteps, thoughts, answers, estimator, promptsPerStep, rlLr, temperature);
        require(parseWeight >= 0 && parseWeight <= 10, "parseWeight", parseWeight, "use 0..10");
        require(evalProblems >= 1 && evalProblems <= 100_000, "evalProblems", evalProblems, "use 1..100000");
        require(passK >= 1 && passK <= 1000, "passK", passK, "use 1..1000 samples per problem");
        require(rewardThreads >= 1 && rewardThreads <= 256, "rewardThreads", rewardThreads, "use 1..256");
        require(rewardTimeoutMs >= 1 && rewardTimeoutMs <= 3_600_000, "rewardTimeoutMs", rewardTimeoutMs,
                "use 1..3600000 ms per answer");
        require(rollouts != null, "rollouts", rollouts, "give {\"executor\": \"in-process\"} or leave the field out");
    }

    /** The defaults of {@code bin/grpoma code} (the only place they are written down). */
    public static CodeSettings defaults() {
        return new CodeSettings(CodeTask.defaults(), 64, 2, 4, 500, 32, 3e-3, 0.2, 20_000, 60, 4, 4, 8, 3e-4, 1.0,
                GrpoMaEstimator.NAME, 0.1, 50, 4, 2, 1000, 1, ExecutorSettings.defaults());
    }

    /**
     * A copy with one top-level field replaced (validated again).
     *
     * @param field a component name, e.g. {@code "seed"}
     * @param value its new value (converted as JSON would be)
     * @throws IllegalArgumentException for an unknown field or an invalid value
     */
    public CodeSettings with(String field, Object value) {
        ObjectNode t = ConfigJson.tree(this);
        t.putPOJO(field, value);
        return ConfigJson.fromTree(ConfigJson.tree(t), CodeSettings.class, "CodeSettings.with");
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        CHECKS.require(ok, field, value, fix);
    }

    /** Longest thought: {@code slope 5 add 9}. */
    public static final int MAX_THOUGHT_TOKENS = 14;
    /** Longest answer: {@code fold(\s,a->s+a*6,0,x)} plus slack. */
    public static final int MAX_ANSWER_TOKENS = 24;
    /** Longest prompt: BOS, three examples of 18 characters, two separators, begin-of-thought. */
    public static final int MAX_PROMPT_TOKENS = 58;

    /** Sequence length of the model. */
    public int maxLength() {
        return MAX_PROMPT_TOKENS + MAX_THOUGHT_TOKENS + 1 + MAX_ANSWER_TOKENS + 1;
    }

    /** {@code T<K>A<M>}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }
}
