package io.github.dl4jgrpoma.examples.image;

import java.nio.file.Path;

import io.github.dl4jgrpoma.multimodal.vision.CnnEncoder;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.multimodal.vision.PatchEncoder;
import io.github.dl4jgrpoma.multimodal.vision.VisionEncoder;

/**
 * Every knob of an image run (SFT warm-up, GRPO-MA, evaluation on the MNIST test split). Built by
 * {@code bin/grpoma image} from its options; {@link ImageCommand} documents each one.
 */
public record ImageSettings(ImageTask task, String encoder, int width, int layers, int heads, int sftSteps, int sftBatch,
                            double sftLr, double mistakeRate, int rlSteps, int thoughts, int answers, int promptsPerStep,
                            double rlLr, double temperature, String estimator, double beta, double formatWeight,
                            double classWeight, int evalProblems, int evalSamples, long seed, Path outDir, boolean quiet) {

    public ImageSettings {
        if (task == null || encoder == null || estimator == null || outDir == null) {
            throw new IllegalArgumentException("ImageSettings: task, encoder, estimator and outDir must be set");
        }
        if (!encoder.equals("cnn") && !encoder.equals("patch")) {
            throw new IllegalArgumentException("encoder '" + encoder + "' is unknown; use cnn or patch");
        }
        if (width < 8 || layers < 1 || heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("model size: width (" + width + ") must be >= 8 and divisible by heads ("
                    + heads + "), layers (" + layers + ") >= 1");
        }
        if (sftSteps < 0 || rlSteps < 0 || sftBatch < 1 || promptsPerStep < 1 || evalProblems < 1 || evalSamples < 0) {
            throw new IllegalArgumentException("steps must be >= 0; batch, prompts per step and eval problems >= 1; "
                    + "eval samples >= 0");
        }
        if (!(mistakeRate >= 0 && mistakeRate <= 1)) {
            throw new IllegalArgumentException("mistake rate must be in [0, 1], got " + mistakeRate);
        }
    }

    /** The vision encoder: a 3-block CNN (8, 16, 32 channels) or 7/8-pixel patches of width 32. */
    public VisionEncoder visionEncoder() {
        ImageShape shape = task.shape();
        if (encoder.equals("cnn")) {
            return new CnnEncoder(shape, 8, 16, 32);
        }
        return new PatchEncoder(shape, shape.height() % 8 == 0 && shape.width() % 8 == 0 ? 8 : 7, 32);
    }

    /** Thought cap in tokens: the longest thought plus end-of-thought. */
    public int maxThoughtTokens() {
        return task.maxThoughtChars() + 1;
    }

    /** Answer cap in tokens: the longest answer plus EOS. */
    public int maxAnswerTokens() {
        return task.maxAnswerChars() + 1;
    }

    /** Token positions: BOS + prompt + begin-thought + thought cap + forced end-of-thought + answer cap. */
    public int maxLength() {
        return 2 + task.promptText().length() + maxThoughtTokens() + 1 + maxAnswerTokens();
    }

    /** A copy for another seed and output folder. */
    public ImageSettings withSeed(long newSeed, Path newOut) {
        return new ImageSettings(task, encoder, width, layers, heads, sftSteps, sftBatch, sftLr, mistakeRate, rlSteps,
                thoughts, answers, promptsPerStep, rlLr, temperature, estimator, beta, formatWeight, classWeight,
                evalProblems, evalSamples, newSeed, newOut, quiet);
    }

    /** A copy with another K, M, estimator and output folder. */
    public ImageSettings withShape(int k, int m, String newEstimator, Path newOut) {
        return new ImageSettings(task, encoder, width, layers, heads, sftSteps, sftBatch, sftLr, mistakeRate, rlSteps,
                k, m, promptsPerStep, rlLr, temperature, newEstimator, beta, formatWeight, classWeight,
                evalProblems, evalSamples, seed, newOut, quiet);
    }

    /** The run name used in logs, for example {@code T4A4}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }
}
