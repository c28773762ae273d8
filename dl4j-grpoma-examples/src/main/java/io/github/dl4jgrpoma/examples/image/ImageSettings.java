package io.github.dl4jgrpoma.examples.image;

import io.github.dl4jgrpoma.examples.SettingsChecks;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.multimodal.vision.CnnEncoder;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.multimodal.vision.PatchEncoder;
import io.github.dl4jgrpoma.multimodal.vision.VisionEncoder;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

/**
 * Every knob of an image run (SFT warm-up, GRPO-MA, evaluation on the MNIST test split). The defaults live in
 * {@link #defaults()} only; a run's settings are written as {@code config.json} into its output folder (JSON
 * through {@link ConfigJson}), read back by {@code --config FILE} and {@code --resume}, and overridden by the
 * flags of {@code bin/grpoma image} ({@link ImageCommand#FLAGS} maps each flag to its field).
 *
 * @param task           {@code digit-sum} or {@code locate}
 * @param encoder        vision encoder: {@code cnn} or {@code patch}
 * @param width          transformer width, 8..1024, divisible by {@code heads}
 * @param layers         transformer layers, 1..48
 * @param heads          attention heads, 1..64
 * @param sftSteps       SFT warm-up steps, 0..1,000,000
 * @param sftBatch       traces per SFT step, 1..4096
 * @param sftLr          SFT learning rate, (0, 1]
 * @param mistakeRate    fraction of SFT traces with one wrong reading, [0, 1]
 * @param rlSteps        GRPO-MA steps, 0..1,000,000
 * @param thoughts       K, thoughts per prompt, 1..64
 * @param answers        M, answers per thought, 1..64 (1 with estimator {@code grpo})
 * @param promptsPerStep prompts per RL step, 1..4096
 * @param rlLr           RL learning rate, (0, 1]
 * @param lrSchedule     learning-rate schedule of both phases: {@code constant}, or {@code linear} (from the
 *                       phase's rate down to 0 over its steps, TRL's default {@code lr_scheduler_type})
 * @param temperature    sampling temperature, [0.001, 100]
 * @param estimator      advantage estimator: {@code grpo-ma}, {@code grpo} (M = 1), {@code dr-grpo}
 * @param beta           KL coefficient to the SFT policy, [0, 100] (0: no reference model)
 * @param formatWeight   digit-sum: weight of the format reward, [0, 10]
 * @param classWeight    locate: weight of the class reward, [0, 10]
 * @param evalProblems   test-split problems evaluated before and after RL, 1..10,000
 * @param evalSamples    samples per problem for the sampled score, 0..1000 (0: greedy only)
 * @param seed           seed of everything (model init, data, sampling)
 */
public record ImageSettings(String task, String encoder, int width, int layers, int heads, int sftSteps, int sftBatch,
                            double sftLr, double mistakeRate, int rlSteps, int thoughts, int answers, int promptsPerStep,
                            double rlLr, String lrSchedule, double temperature, String estimator, double beta, double formatWeight,
                            double classWeight, int evalProblems, int evalSamples, long seed) {

    private static final SettingsChecks CHECKS = new SettingsChecks("ImageSettings");
    /** {@link #lrSchedule()}: the same rate at every step. */
    public static final String CONSTANT = "constant";
    /** {@link #lrSchedule()}: linear decay to 0 over the phase's steps. */
    public static final String LINEAR = "linear";

    /** Validates every field; messages name the field, the value and the fix. */
    public ImageSettings {
        require(DigitSumTask.NAME.equals(task) || LocateTask.NAME.equals(task), "task", task,
                "use " + DigitSumTask.NAME + " or " + LocateTask.NAME);
        require("cnn".equals(encoder) || "patch".equals(encoder), "encoder", encoder, "use cnn or patch");
        CHECKS.model(width, layers, heads);
        CHECKS.sft(sftSteps, sftBatch, sftLr, mistakeRate);
        CHECKS.rl(rlSteps, thoughts, answers, estimator, promptsPerStep, rlLr, temperature);
        require(CONSTANT.equals(lrSchedule) || LINEAR.equals(lrSchedule), "lrSchedule", lrSchedule,
                "use " + CONSTANT + " or " + LINEAR);
        require(beta >= 0 && beta <= 100, "beta", beta, "use 0 (no KL) .. 100");
        require(formatWeight >= 0 && formatWeight <= 10, "formatWeight", formatWeight, "use 0..10");
        require(classWeight >= 0 && classWeight <= 10, "classWeight", classWeight, "use 0..10");
        require(evalProblems >= 1 && evalProblems <= 10_000, "evalProblems", evalProblems, "use 1..10000");
        require(evalSamples >= 0 && evalSamples <= 1000, "evalSamples", evalSamples, "use 0 (greedy only)..1000");
    }

    /** The defaults of {@code bin/grpoma image} (the only place they are written down). */
    public static ImageSettings defaults() {
        return new ImageSettings(DigitSumTask.NAME, "cnn", 64, 2, 4, 600, 32, 3e-3, 0.2, 60, 4, 4, 16, 2e-4, CONSTANT, 1.0,
                GrpoMaEstimator.NAME, 0.0, 0.1, 0.2, 300, 4, 1);
    }

    /**
     * A copy with one top-level field replaced (validated again).
     *
     * @param field a component name, e.g. {@code "seed"}
     * @param value its new value (converted as JSON would be)
     * @throws IllegalArgumentException for an unknown field or an invalid value
     */
    public ImageSettings with(String field, Object value) {
        ObjectNode t = ConfigJson.tree(this);
        t.putPOJO(field, value);
        return ConfigJson.fromTree(ConfigJson.tree(t), ImageSettings.class, "ImageSettings.with");
    }

    /** A copy with another K, M and estimator (the study's shapes). */
    public ImageSettings withShape(int k, int m, String newEstimator) {
        return with("thoughts", k).with("answers", m).with("estimator", newEstimator);
    }

    /** Adam for a phase of {@code steps} steps at rate {@code lr}, with this run's schedule. */
    public OptimizerConfig optimizer(double lr, int steps) {
        OptimizerConfig c = OptimizerConfig.defaults().withLearningRate(lr);
        return LINEAR.equals(lrSchedule) ? c.withLinearDecay(Math.max(1, steps)) : c;
    }

    /** The task of {@link #task()}. */
    public ImageTask imageTask() {
        return ImageTask.byName(task);
    }

    /** The vision encoder: a 3-block CNN (8, 16, 32 channels) or 7/8-pixel patches of width 32. */
    public VisionEncoder visionEncoder() {
        ImageShape shape = imageTask().shape();
        if (encoder.equals("cnn")) {
            return new CnnEncoder(shape, 8, 16, 32);
        }
        return new PatchEncoder(shape, shape.height() % 8 == 0 && shape.width() % 8 == 0 ? 8 : 7, 32);
    }

    /** Thought cap in tokens: the longest thought plus end-of-thought. */
    public int maxThoughtTokens() {
        return imageTask().maxThoughtChars() + 1;
    }

    /** Answer cap in tokens: the longest answer plus EOS. */
    public int maxAnswerTokens() {
        return imageTask().maxAnswerChars() + 1;
    }

    /** Token positions: BOS + prompt + begin-thought + thought cap + forced end-of-thought + answer cap. */
    public int maxLength() {
        return 2 + imageTask().promptText().length() + maxThoughtTokens() + 1 + maxAnswerTokens();
    }

    /** The run name used in logs, for example {@code T4A4}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        CHECKS.require(ok, field, value, fix);
    }
}
