package io.github.dl4jgrpoma.data;

import java.util.Arrays;

/**
 * One demonstration for supervised fine-tuning: the prompt the policy is conditioned on and the completion
 * it should produce (for GRPO-MA warm-up typically {@code thought + </think> + answer + <eos>}). Only the
 * completion tokens carry loss. Immutable (arrays copied in and out).
 *
 * @param prompt       conditioning tokens, at least one (e.g. {@code BOS + text + <think>})
 * @param completion   tokens to imitate, at least one
 * @param conditioning the example's conditioning arrays (for example its image); {@link Conditioning#none()} for text
 */
public record SftExample(int[] prompt, int[] completion, Conditioning conditioning) {

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
        conditioning = conditioning == null ? Conditioning.none() : conditioning;
    }

    /** A text-only demonstration. */
    public SftExample(int[] prompt, int[] completion) {
        this(prompt, completion, Conditioning.none());
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
        return o instanceof SftExample e && Arrays.equals(prompt, e.prompt) && Arrays.equals(completion, e.completion)
                && conditioning.equals(e.conditioning);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(prompt) + Arrays.hashCode(completion)) + conditioning.hashCode();
    }

    @Override
    public String toString() {
        return "SftExample[prompt=" + Arrays.toString(prompt) + ", completion=" + Arrays.toString(completion)
                + (conditioning.isEmpty() ? "" : ", conditioning=" + conditioning) + "]";
    }
}
