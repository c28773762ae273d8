package io.github.dl4jgrpoma.train;

import java.util.Arrays;

/**
 * One demonstration for supervised fine-tuning: the prompt the policy is conditioned on and the completion
 * it should produce (for GRPO-MA warm-up typically {@code thought + </think> + answer + <eos>}). Only the
 * completion tokens carry loss. Immutable (arrays copied in and out).
 *
 * @param prompt     conditioning tokens, at least one (e.g. {@code BOS + text + <think>})
 * @param completion tokens to imitate, at least one
 */
public record SftExample(int[] prompt, int[] completion) {

    /** Validates and copies. */
    public SftExample {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("SftExample.prompt is empty; pass at least one token (e.g. BOS)");
        }
        if (completion == null || completion.length == 0) {
            throw new IllegalArgumentException("SftExample.completion is empty; pass the tokens to imitate");
        }
        prompt = prompt.clone();
        completion = completion.clone();
    }

    @Override
    public int[] prompt() {
        return prompt.clone();
    }

    @Override
    public int[] completion() {
        return completion.clone();
    }

    /** Prompt length + completion length. */
    public int length() {
        return prompt.length + completion.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SftExample e && Arrays.equals(prompt, e.prompt) && Arrays.equals(completion, e.completion);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prompt) + Arrays.hashCode(completion);
    }

    @Override
    public String toString() {
        return "SftExample[prompt=" + Arrays.toString(prompt) + ", completion=" + Arrays.toString(completion) + "]";
    }
}
