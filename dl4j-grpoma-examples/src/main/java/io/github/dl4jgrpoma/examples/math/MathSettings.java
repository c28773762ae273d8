package io.github.dl4jgrpoma.examples.math;

import java.nio.file.Path;

/**
 * Every knob of a math run (SFT warm-up, then GRPO-MA, then evaluation), with defaults that finish on two
 * CPU cores in a few minutes. Built by {@code bin/grpoma math} from its options; {@link MathCommand}
 * documents each one.
 */
public record MathSettings(MathTask task, int width, int layers, int heads, int sftSteps, int sftBatch, double sftLr,
                           double mistakeRate, int sftTraces, int rlSteps, int thoughts, int answers,
                           int promptsPerStep, double rlLr, double temperature, String estimator, int innerEpochs,
                           double beta, double formatWeight, int evalProblems, int evalSamples, int evalEvery,
                           long seed, Path outDir, boolean quiet, ThoughtStyle thoughtStyle,
                           String aggregation, double thoughtWeight) {

    public MathSettings {
        if (task == null || estimator == null || outDir == null || thoughtStyle == null || aggregation == null) {
            throw new IllegalArgumentException("MathSettings: task, estimator, outDir and thoughtStyle must be set");
        }
        if (width < 8 || layers < 1 || heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("model size: width (" + width + ") must be >= 8 and divisible by heads ("
                    + heads + "), layers (" + layers + ") >= 1");
        }
        if (sftSteps < 0 || rlSteps < 0 || sftBatch < 1 || sftTraces < 1 || promptsPerStep < 1 || innerEpochs < 1) {
            throw new IllegalArgumentException("steps must be >= 0 and batch sizes, traces, prompts per step and inner "
                    + "epochs >= 1");
        }
        if (evalProblems < 1 || evalSamples < 0 || evalEvery < 0) {
            throw new IllegalArgumentException("evalProblems must be >= 1, evalSamples and evalEvery >= 0");
        }
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

    /** A copy for another seed and output folder. */
    public MathSettings withSeed(long newSeed, Path newOut) {
        return new MathSettings(task, width, layers, heads, sftSteps, sftBatch, sftLr, mistakeRate, sftTraces, rlSteps,
                thoughts, answers, promptsPerStep, rlLr, temperature, estimator, innerEpochs, beta, formatWeight,
                evalProblems, evalSamples, evalEvery, newSeed, newOut, quiet, thoughtStyle, aggregation, thoughtWeight);
    }

    /** A copy with another K, M, estimator, periodic evaluation and output folder. */
    public MathSettings withShape(int k, int m, String newEstimator, int newEvalEvery, Path newOut) {
        return new MathSettings(task, width, layers, heads, sftSteps, sftBatch, sftLr, mistakeRate, sftTraces, rlSteps,
                k, m, promptsPerStep, rlLr, temperature, newEstimator, innerEpochs, beta, formatWeight, evalProblems,
                evalSamples, newEvalEvery, seed, newOut, quiet, thoughtStyle, aggregation, thoughtWeight);
    }

    /** The run name used in logs, for example {@code T4A4}. */
    public String shape() {
        return "T" + thoughts + "A" + answers;
    }
}
