package io.github.dl4jgrpoma.examples.code;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.examples.math.MathEvaluator;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;

/**
 * Training prompts of the code task: problems from {@link CodeTask#sampleTrain} (never held out), as
 * {@code BOS + examples + <think>}, with the hidden tests under metadata {@value CodeRewards#TESTS} and the
 * family under {@value #FAMILY}.
 */
public final class CodePromptSource implements PromptSource {
    /** Metadata key of the family id. */
    public static final String FAMILY = "family";

    private final CodeTask task;
    private final Tokenizer tokenizer;

    public CodePromptSource(CodeTask task, Tokenizer tokenizer) {
        this.task = task;
        this.tokenizer = tokenizer;
    }

    /** The prompt of one problem. */
    public Prompt prompt(CodeProblem p) {
        return new Prompt(p.promptText(), MathEvaluator.promptTokens(tokenizer, p.promptText()),
                Map.of(CodeRewards.TESTS, p.testsText(), FAMILY, p.family().id()));
    }

    @Override
    public List<Prompt> sample(int count, SplittableRandom rng) {
        List<Prompt> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(prompt(task.sampleTrain(rng)));
        }
        return out;
    }
}
