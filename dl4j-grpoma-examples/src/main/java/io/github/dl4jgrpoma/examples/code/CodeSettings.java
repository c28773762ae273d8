package io.github.dl4jgrpoma.examples.code;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.algo.PackingMode;
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
 */
public record CodeSettings(CodeTask task, int width, int layers, int heads, int sftSteps, int sftBatch, double sftLr,
                           double mistakeRate, int sftTraces, int rlSteps, int thoughts, int answers, int promptsPerStep,
                           double rlLr, double temperature, String estimator, double parseWeight, int evalProblems,
                           int passK, int rewardThreads, int rewardTimeoutMs, long seed) {

    /** Validates every field; messages name the field, the value and the fix. */
    public CodeSettings {
        require(task != null, "task", task, "give the held-out share, e.g. {\"heldOutPercent\": 20}");
        require(width >= 8 && width <= 1024, "width", width, "use 8..1024");
        require(layers >= 1 && layers <= 48, "layers", layers, "use 1..48");
        require(heads >= 1 && heads <= 64, "heads", heads, "use 1..64");
        require(width % heads == 0, "width", width + " with heads = " + heads, "make width divisible by heads");
        require(sftSteps >= 0 && sftSteps <= 1_000_000, "sftSteps", sftSteps, "use 0..1000000");
        require(sftBatch >= 1 && sftBatch <= 4096, "sftBatch", sftBatch, "use 1..4096");
        require(sftLr > 0 && sftLr <= 1, "sftLr", sftLr, "use a learning rate in (0, 1], e.g. 3e-3");
        require(mistakeRate >= 0 && mistakeRate <= 1, "mistakeRate", mistakeRate, "use a fraction in [0, 1]");
        require(sftTraces >= 1, "sftTraces", sftTraces, "use at least 1 trace");
        require(rlSteps >= 0 && rlSteps <= 1_000_000, "rlSteps", rlSteps, "use 0..1000000");
        require(thoughts >= 1 && thoughts <= 64, "thoughts", thoughts, "use 1..64 thoughts per prompt");
        require(answers >= 1 && answers <= 64, "answers", answers, "use 1..64 answers per thought");
        require(thoughts * answers >= 2, "thoughts x answers", thoughts + "x" + answers,
                "a group needs two answers to compare: raise K or M");
        require(estimator != null && AdvantageEstimators.defaults().contains(estimator), "estimator", estimator,
                "use one of " + AdvantageEstimators.defaults().names());
        require(!(AdvantageEstimators.defaults().get(estimator).packing() == PackingMode.COUPLED && answers != 1),
                "estimator", estimator + " with answers = " + answers, "it packs one advantage per whole response (plain"
                        + " GRPO) and needs M = 1; use " + GrpoMaEstimator.NAME + " for M > 1");
        require(promptsPerStep >= 1 && promptsPerStep <= 4096, "promptsPerStep", promptsPerStep, "use 1..4096");
        require(rlLr > 0 && rlLr <= 1, "rlLr", rlLr, "use a learning rate in (0, 1], e.g. 3e-4");
        require(temperature >= 1e-3 && temperature <= 100, "temperature", temperature, "use 0.001..100");
        require(parseWeight >= 0 && parseWeight <= 10, "parseWeight", parseWeight, "use 0..10");
        require(evalProblems >= 1 && evalProblems <= 100_000, "evalProblems", evalProblems, "use 1..100000");
        require(passK >= 1 && passK <= 1000, "passK", passK, "use 1..1000 samples per problem");
        require(rewardThreads >= 1 && rewardThreads <= 256, "rewardThreads", rewardThreads, "use 1..256");
        require(rewardTimeoutMs >= 1 && rewardTimeoutMs <= 3_600_000, "rewardTimeoutMs", rewardTimeoutMs,
                "use 1..3600000 ms per answer");
    }

    /** The defaults of {@code bin/grpoma code} (the only place they are written down). */
    public static CodeSettings defaults() {
        return new CodeSettings(CodeTask.defaults(), 64, 2, 4, 500, 32, 3e-3, 0.2, 20_000, 60, 4, 4, 8, 3e-4, 1.0,
                GrpoMaEstimator.NAME, 0.1, 50, 4, 2, 1000, 1);
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
        if (!ok) {
            throw new IllegalArgumentException("CodeSettings." + field + " = " + value + " is invalid: " + fix);
        }
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
