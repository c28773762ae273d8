package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.SettingsChecks;
import io.github.dl4jgrpoma.examples.math.MathRewards;
import io.github.dl4jgrpoma.examples.math.MathTask;
import io.github.dl4jgrpoma.examples.math.Operation;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import java.util.EnumSet;

/**
 * Settings of {@code bin/grpoma lstm}. The defaults live in {@link #defaults()} only; a run's settings are written
 * as {@code config.json} into its output folder (JSON through {@link ConfigJson}), read back by {@code --config FILE}
 * and overridden by the flags of {@code bin/grpoma lstm} ({@code LstmCommand.FLAGS}; the task flags are the
 * {@code math} command's).
 *
 * @param task           the arithmetic task (the {@code math} command's record: operations, digits, held-out share)
 * @param hidden         LSTM units, 2..4096
 * @param sftSteps       SFT minibatches (plain {@code net.fit}), 0..1,000,000
 * @param sftBatch       traces per SFT minibatch, 1..4096
 * @param sftLr          Adam learning rate of SFT, (0, 1]
 * @param gradientClip   per-layer L2 clipping of the gradient (DL4J {@code ClipL2PerLayer}) in SFT and RL, (0, 1e6]
 * @param mistakeRate    fraction of SFT traces with one wrong column, [0, 1]
 * @param rlSteps        GRPO-MA steps (one DL4J update each), 1..1,000,000
 * @param thoughts       K
 * @param answers        M
 * @param promptsPerStep prompts per RL step
 * @param rlLr           Adam learning rate of RL, (0, 1]
 * @param temperature    sampling temperature (RL rollouts and pass@1)
 * @param formatWeight   weight of the format reward, [0, 10]
 * @param evalProblems   held-out and OOD problems evaluated, 1..100,000
 * @param evalSamples    samples per problem for pass@1, 0..1000 (0: greedy only)
 * @param seed           seed of everything
 */
public record LstmSettings(MathTask task, int hidden, int sftSteps, int sftBatch, double sftLr, double gradientClip,
                           double mistakeRate, int rlSteps, int thoughts, int answers, int promptsPerStep, double rlLr,
                           double temperature, double formatWeight, int evalProblems, int evalSamples, long seed) {

    private static final SettingsChecks CHECKS = new SettingsChecks("LstmSettings");

    /** Validates every field; messages name the field, the value and the fix. */
    public LstmSettings {
        CHECKS.require(task != null, "task", task, "give the operations and digit range, e.g. {\"minDigits\": 2, ...}");
        CHECKS.require(hidden >= 2 && hidden <= 4096, "hidden", hidden, "use 2..4096 LSTM units");
        CHECKS.sft(sftSteps, sftBatch, sftLr, mistakeRate);
        CHECKS.require(gradientClip > 0 && gradientClip <= 1e6, "gradientClip", gradientClip, "use a norm in (0, 1e6], e.g. 1");
        // before the shared range (0..1000000): the DL4J iterator needs at least one step, so one message for -1 and 0
        CHECKS.require(rlSteps >= 1, "rlSteps", rlSteps, "use 1..1000000 GRPO-MA steps");
        CHECKS.rl(rlSteps, thoughts, answers, GrpoMaEstimator.NAME, promptsPerStep, rlLr, temperature);
        CHECKS.require(formatWeight >= 0 && formatWeight <= 10, "formatWeight", formatWeight, "use 0..10");
        CHECKS.require(evalProblems >= 1 && evalProblems <= 100_000, "evalProblems", evalProblems, "use 1..100000");
        CHECKS.require(evalSamples >= 0 && evalSamples <= 1000, "evalSamples", evalSamples, "use 0 (greedy only)..1000");
    }

    /**
     * The defaults of {@code bin/grpoma lstm} (the only place they are written down), measured on seed 1 (see README
     * "In an existing DL4J pipeline"): 2-digit addition (the {@code math} task restricted to {@code add}), 600 SFT
     * minibatches of 64 traces at Adam 5e-3 with per-layer clipping at 1 (held-out greedy 0.445; 600 x 32 traces at
     * 3e-3 without clipping gave 0.05 on addition alone, 300 x 32 gave 0.000 on all three operations), then 100
     * GRPO-MA steps of 16 prompts x T4A4 at Adam 3e-4 (8 prompts at 5e-4 gained +0.05 in 150 steps; 8 prompts at
     * 2e-3 lowered the accuracy to 0.01 in 60 steps).
     */
    public static LstmSettings defaults() {
        MathTask task = new MathTask(EnumSet.of(Operation.ADD), 2, 2, MathTask.defaults().heldOutPercent());
        return new LstmSettings(task, 128, 600, 64, 5e-3, 1.0, 0.2, 100, 4, 4, 16, 3e-4, 1.0, 0.1, 200, 4, 1);
    }

    /** Longest thought in tokens (end-of-thought included), sized for the OOD slice. */
    public int maxThoughtTokens() {
        return MathTask.maxThoughtChars(task.maxDigits() + 1) + 1;
    }

    /** Longest answer in tokens (EOS included), sized for the OOD slice. */
    public int maxAnswerTokens() {
        return MathTask.maxAnswerChars(task.maxDigits() + 1) + 1;
    }

    /** T: BOS + prompt + begin-of-thought + thought + forced end-of-thought + answer. */
    public int maxLength() {
        return 2 + MathTask.maxPromptChars(task.maxDigits() + 1) + maxThoughtTokens() + 1 + maxAnswerTokens();
    }

    /** The RL settings the iterator reads. */
    public GrpoMaConfig grpoMaConfig() {
        return GrpoMaConfig.builder().seed(seed).promptsPerStep(promptsPerStep).steps(rlSteps)
                .accuracyReward(MathRewards.CORRECT)
                .rollout(RolloutConfig.builder().thoughts(thoughts).answersPerThought(answers).temperature(temperature)
                        .maxThoughtTokens(maxThoughtTokens()).maxAnswerTokens(maxAnswerTokens()).build())
                .build();
    }

    /** {@code T<K>A<M>}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }
}
