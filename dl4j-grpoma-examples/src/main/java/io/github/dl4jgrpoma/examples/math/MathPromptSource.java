package io.github.dl4jgrpoma.examples.math;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;

/**
 * Training prompts of the math task: problems from {@link MathTask#sampleTrain} (never held out), as
 * {@code BOS + "a op b =" + <think>}, with the exact answer under metadata key {@value #EXPECTED}.
 */
public final class MathPromptSource implements PromptSource {
    /** Metadata key of the expected answer. */
    public static final String EXPECTED = "expected";

    private final MathTask task;
    private final Tokenizer tokenizer;

    public MathPromptSource(MathTask task, Tokenizer tokenizer) {
        this.task = task;
        this.tokenizer = tokenizer;
    }

    /** The prompt of one problem. */
    public Prompt prompt(MathProblem p) {
        return new Prompt(p.promptText(), MathEvaluator.promptTokens(tokenizer, p),
                Map.of(EXPECTED, Long.toString(p.answer())));
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
