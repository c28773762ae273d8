package io.github.dl4jgrpoma.rollout;

import java.util.Arrays;
import java.util.List;

import io.github.dl4jgrpoma.data.Prompt;

/**
 * The K thoughts (each with its M answers) sampled for one prompt. Immutable.
 *
 * @param prompt   the prompt (id, tokens, conditioning, metadata)
 * @param thoughts the K thoughts in sampling order
 */
public record PromptRollout(Prompt prompt, List<ThoughtRollout> thoughts) {

    public PromptRollout {
        if (prompt == null) {
            throw new IllegalArgumentException("PromptRollout.prompt is null");
        }
        thoughts = List.copyOf(thoughts);
    }

    /** A copy of the prompt's token ids. */
    public int[] promptTokens() {
        return prompt.tokens();
    }

    /** {@code prompt + thought k's context + answer m}: the whole sequence a trainer scores. */
    public int[] sequence(int k, int m) {
        ThoughtRollout t = thoughts.get(k);
        int[] ctx = t.contextTokens();
        int[] ans = t.answers().get(m).tokens();
        int[] p = prompt.tokens();
        int[] out = Arrays.copyOf(p, p.length + ctx.length + ans.length);
        System.arraycopy(ctx, 0, out, p.length, ctx.length);
        System.arraycopy(ans, 0, out, p.length + ctx.length, ans.length);
        return out;
    }
}
