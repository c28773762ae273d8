package io.github.dl4jgrpoma.train;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One training prompt: its text (handed to rewards), the token ids the policy is conditioned on (for
 * example {@code BOS + encode(text) + <think>}) and task metadata such as {@code "expected" -> "42"}.
 *
 * <p>Immutable: the token array is copied in and out, the metadata map is an unmodifiable copy.
 *
 * @param text     prompt text, never null (may be empty)
 * @param tokens   ids the rollout starts from, at least one
 * @param metadata task metadata handed to every {@link io.github.dl4jgrpoma.reward.RewardContext}; never null
 */
public record Prompt(String text, int[] tokens, Map<String, String> metadata) {

    /** Validates and copies. */
    public Prompt {
        if (text == null) {
            throw new IllegalArgumentException("Prompt.text is null; use \"\" for a prompt without text");
        }
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("Prompt.tokens of '" + text + "' is empty; pass at least one id, "
                    + "e.g. BOS + encode(text) + <think>");
        }
        tokens = tokens.clone();
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A prompt without metadata. */
    public Prompt(String text, int[] tokens) {
        this(text, tokens, Map.of());
    }

    /** A copy of the token ids. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Number of prompt tokens, without copying. */
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && text.equals(p.text) && Arrays.equals(tokens, p.tokens)
                && metadata.equals(p.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, Arrays.hashCode(tokens), metadata);
    }

    @Override
    public String toString() {
        return "Prompt[text=" + text + ", tokens=" + Arrays.toString(tokens) + ", metadata=" + metadata + "]";
    }
}
