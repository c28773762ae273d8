package io.github.dl4jgrpoma.examples.math;

import java.util.SplittableRandom;

import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.data.SftExample;

/**
 * Demonstration traces for the SFT warm-up: {@code prompt -> scratchpad </think> answer <eos>} for training
 * problems, where a fraction {@code mistakeRate} of the traces has one column off by 1 to 3 (the rest of the
 * scratchpad and the answer follow consistently from the mistake, see {@link Scratchpad}). The warmed-up
 * policy is therefore imperfect in a way a verifiable reward can fix.
 */
public final class MathTraces {
    private final MathTask task;
    private final Tokenizer tokenizer;
    private final double mistakeRate;
    private final ThoughtStyle style;

    /**
     * @param mistakeRate probability that a trace contains a mistake, in [0, 1]
     * @param style       how much the scratchpad writes down
     */
    public MathTraces(MathTask task, Tokenizer tokenizer, double mistakeRate, ThoughtStyle style) {
        if (!(mistakeRate >= 0 && mistakeRate <= 1)) {
            throw new IllegalArgumentException("mistakeRate must be in [0, 1], got " + mistakeRate);
        }
        this.task = task;
        this.tokenizer = tokenizer;
        this.mistakeRate = mistakeRate;
        this.style = style;
    }

    /** One trace for a problem drawn from {@code rng}. */
    public SftExample sample(SplittableRandom rng) {
        MathProblem p = task.sampleTrain(rng);
        Scratchpad s = Scratchpad.of(p, style);
        if (rng.nextDouble() < mistakeRate) {
            int delta = (1 + rng.nextInt(3)) * (rng.nextBoolean() ? 1 : -1);
            s = Scratchpad.of(p, rng.nextInt(Scratchpad.columns(p)), delta, style);
        }
        return new SftExample(MathEvaluator.promptTokens(tokenizer, p), completion(tokenizer, s));
    }

    /** The completion tokens of a scratchpad: thought, end-of-thought, answer, EOS. */
    public static int[] completion(Tokenizer tok, Scratchpad s) {
        return completion(tok, s.thought(), s.answer());
    }

    /** The completion tokens of a thought and an answer: thought, end-of-thought, answer, EOS. */
    public static int[] completion(Tokenizer tok, String thought, String answer) {
        return io.github.dl4jgrpoma.examples.TraceFormat.completion(tok, thought, answer);
    }
}
