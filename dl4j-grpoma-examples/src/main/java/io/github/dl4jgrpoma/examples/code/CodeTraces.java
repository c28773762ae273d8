package io.github.dl4jgrpoma.examples.code;

import java.util.SplittableRandom;

import io.github.dl4jgrpoma.examples.math.MathEvaluator;
import io.github.dl4jgrpoma.examples.math.MathTraces;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.data.SftExample;

/**
 * Demonstration traces for the SFT warm-up: {@code examples -> thought </think> program <eos>} for training
 * problems; a fraction {@code mistakeRate} of the traces misreads one parameter by 1 or 2 (thought and
 * program both use the wrong value, so the program is consistent with the thought but fails the tests).
 */
public final class CodeTraces {
    private final CodeTask task;
    private final Tokenizer tokenizer;
    private final double mistakeRate;

    /** @param mistakeRate probability that a trace contains a mistake, in [0, 1] */
    public CodeTraces(CodeTask task, Tokenizer tokenizer, double mistakeRate) {
        if (!(mistakeRate >= 0 && mistakeRate <= 1)) {
            throw new IllegalArgumentException("mistakeRate must be in [0, 1], got " + mistakeRate);
        }
        this.task = task;
        this.tokenizer = tokenizer;
        this.mistakeRate = mistakeRate;
    }

    /** One trace for a problem drawn from {@code rng}. */
    public SftExample sample(SplittableRandom rng) {
        CodeProblem p = task.sampleTrain(rng);
        int[] params = p.params();
        if (rng.nextDouble() < mistakeRate) {
            int which = p.family() == CodeFamily.AFFINE ? rng.nextInt(2) : 0;
            params[which] = Math.max(1, params[which] + (rng.nextBoolean() ? 1 : -1) * (1 + rng.nextInt(2)));
        }
        return new SftExample(MathEvaluator.promptTokens(tokenizer, p.promptText()),
                MathTraces.completion(tokenizer, p.family().thought(params), p.family().program(params)));
    }
}
