package io.github.dl4jgrpoma.examples.code;

import java.nio.file.Path;

/**
 * Everything a code run needs; {@code CodeCommand.DEFAULTS} documents the defaults.
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
 * @param outDir         output folder
 * @param quiet          no progress lines on {@code out}
 */
public record CodeSettings(CodeTask task, int width, int layers, int heads, int sftSteps, int sftBatch, double sftLr,
                           double mistakeRate, int sftTraces, int rlSteps, int thoughts, int answers, int promptsPerStep,
                           double rlLr, double temperature, String estimator, double parseWeight, int evalProblems,
                           int passK, int rewardThreads, int rewardTimeoutMs, long seed, Path outDir, boolean quiet) {

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

    /** A copy with other RL steps, output folder and quietness (tests, the study). */
    public CodeSettings with(int newRlSteps, int newSftSteps, Path newOut, boolean newQuiet) {
        return new CodeSettings(task, width, layers, heads, newSftSteps, sftBatch, sftLr, mistakeRate, sftTraces, newRlSteps,
                thoughts, answers, promptsPerStep, rlLr, temperature, estimator, parseWeight, evalProblems, passK,
                rewardThreads, rewardTimeoutMs, seed, newOut, newQuiet);
    }
}
