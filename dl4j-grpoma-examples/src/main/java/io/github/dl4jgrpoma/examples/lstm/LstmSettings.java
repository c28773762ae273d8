package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.examples.math.MathRewards;
import io.github.dl4jgrpoma.examples.math.MathTask;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import java.nio.file.Path;

/**
 * Settings of {@code bin/grpoma lstm}.
 *
 * @param task          the arithmetic task (the {@code math} command's)
 * @param hidden        LSTM units
 * @param sftSteps      SFT minibatches (plain {@code net.fit})
 * @param sftBatch      traces per SFT minibatch
 * @param sftLr         Adam learning rate of SFT
 * @param mistakeRate   fraction of SFT traces with one wrong column
 * @param rlSteps       GRPO-MA steps (one DL4J update each)
 * @param thoughts      K
 * @param answers       M
 * @param prompts       prompts per RL step
 * @param rlLr          Adam learning rate of RL
 * @param temperature   sampling temperature
 * @param formatWeight  weight of the format reward
 * @param evalProblems  held-out and OOD problems evaluated
 * @param evalSamples   samples per problem for pass@1
 * @param seed          seed of everything
 * @param outDir        output folder
 */
public record LstmSettings(MathTask task, int hidden, int sftSteps, int sftBatch, double sftLr, double mistakeRate,
                           int rlSteps, int thoughts, int answers, int prompts, double rlLr, double temperature,
                           double formatWeight, int evalProblems, int evalSamples, long seed, Path outDir) {

    /** Longest thought in tokens (end-of-thought included). */
    public int maxThoughtTokens() {
        return MathTask.maxThoughtChars(task.maxDigits() + 1) + 1;
    }

    /** Longest answer in tokens (EOS included). */
    public int maxAnswerTokens() {
        return MathTask.maxAnswerChars(task.maxDigits() + 1) + 1;
    }

    /** T: BOS + prompt + begin-of-thought + thought + forced end-of-thought + answer. */
    public int maxLength() {
        return 2 + MathTask.maxPromptChars(task.maxDigits() + 1) + maxThoughtTokens() + 1 + maxAnswerTokens();
    }

    /** The RL settings the iterator reads. */
    public GrpoMaConfig grpoMaConfig() {
        return GrpoMaConfig.builder().seed(seed).promptsPerStep(prompts).steps(rlSteps).accuracyReward(MathRewards.CORRECT)
                .rollout(RolloutConfig.builder().thoughts(thoughts).answersPerThought(answers).temperature(temperature)
                        .maxThoughtTokens(maxThoughtTokens()).maxAnswerTokens(maxAnswerTokens()).build())
                .build();
    }

    /** {@code T<K>A<M>}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }
}
