package io.github.dl4jgrpoma.rollout;

import java.util.Arrays;
import java.util.List;

/** The K thoughts (each with its M answers) sampled for one prompt. Immutable. */
public record PromptRollout(int[] prompt, List<ThoughtRollout> thoughts) {

    public PromptRollout {
        prompt = prompt.clone();
        thoughts = List.copyOf(thoughts);
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    /** {@code prompt + thought k's context + answer m}: the whole sequence a trainer scores. */
    public int[] sequence(int k, int m) {
        ThoughtRollout t = thoughts.get(k);
        int[] ctx = t.contextTokens();
        int[] ans = t.answers().get(m).tokens();
        int[] out = Arrays.copyOf(prompt, prompt.length + ctx.length + ans.length);
        System.arraycopy(ctx, 0, out, prompt.length, ctx.length);
        System.arraycopy(ans, 0, out, prompt.length + ctx.length, ans.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptRollout p && Arrays.equals(prompt, p.prompt) && thoughts.equals(p.thoughts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prompt) + thoughts.hashCode();
    }

    @Override
    public String toString() {
        return "PromptRollout" + Arrays.toString(prompt) + " " + thoughts;
    }
}
