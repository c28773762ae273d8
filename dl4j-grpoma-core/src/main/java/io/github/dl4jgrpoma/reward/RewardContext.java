package io.github.dl4jgrpoma.reward;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link RewardFunction} may look at for one answer: the prompt and its task metadata, the
 * thought the answer was branched from, the answer itself, and where the answer sits in the rollout
 * (prompt index in the batch, thought index {@code k} in {@code 0..K-1}, answer index {@code m} in
 * {@code 0..M-1}).
 *
 * <p>Immutable: the metadata map is copied, token arrays are copied on the way in and on the way out, and
 * {@code equals}/{@code hashCode} compare the token arrays by content.
 *
 * @param promptIndex     index of the prompt in the batch, {@code >= 0}
 * @param thoughtIndex    index {@code k} of the thought among the K thoughts of the prompt, {@code >= 0}
 * @param answerIndex     index {@code m} of the answer among the M answers of the thought, {@code >= 0}
 * @param prompt          prompt text (may be empty, never null)
 * @param metadata        task metadata of the prompt, e.g. {@code "answer" -> "42"}; copied, unmodifiable
 * @param thought         decoded thought text (may be empty)
 * @param thoughtTokens   token ids of the thought (copied)
 * @param thoughtTruncated true when the thought hit its length cap before the end-of-thought marker
 * @param answer          decoded answer text (may be empty)
 * @param answerTokens    token ids of the answer (copied)
 * @param answerTruncated true when the answer hit its length cap before the end marker
 */
public record RewardContext(int promptIndex, int thoughtIndex, int answerIndex, String prompt,
                            Map<String, String> metadata, String thought, int[] thoughtTokens,
                            boolean thoughtTruncated, String answer, int[] answerTokens,
                            boolean answerTruncated) {

    /** Validates and copies; see the record components for the rules. */
    public RewardContext {
        requireIndex("promptIndex", promptIndex);
        requireIndex("thoughtIndex", thoughtIndex);
        requireIndex("answerIndex", answerIndex);
        prompt = requireText("prompt", prompt);
        thought = requireText("thought", thought);
        answer = requireText("answer", answer);
        if (metadata == null) {
            throw new IllegalArgumentException("metadata is null; fix: pass Map.of() when the prompt has no metadata");
        }
        metadata = Map.copyOf(metadata);
        thoughtTokens = copyTokens("thoughtTokens", thoughtTokens);
        answerTokens = copyTokens("answerTokens", answerTokens);
    }

    /** A builder with empty texts, no metadata, no tokens and all indices 0. */
    public static RewardContextBuilder builder() {
        return new RewardContextBuilder();
    }

    /** A copy of the thought token ids. */
    @Override
    public int[] thoughtTokens() {
        return thoughtTokens.clone();
    }

    /** A copy of the answer token ids. */
    @Override
    public int[] answerTokens() {
        return answerTokens.clone();
    }

    /** Number of thought tokens, without copying them. */
    public int thoughtLength() {
        return thoughtTokens.length;
    }

    /** Number of answer tokens, without copying them. */
    public int answerLength() {
        return answerTokens.length;
    }

    /** The metadata value for {@code key}, if present. */
    public Optional<String> metadata(String key) {
        return Optional.ofNullable(metadata.get(key));
    }

    /**
     * The metadata value for {@code key}.
     *
     * @throws IllegalArgumentException naming the key, the prompt and the keys that are present
     */
    public String requireMetadata(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException("prompt " + promptIndex + " has no metadata key '" + key
                    + "' (present: " + metadata.keySet().stream().sorted().toList()
                    + "); fix: add it to the prompt's metadata or configure the reward with the right key");
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RewardContext c)) {
            return false;
        }
        return promptIndex == c.promptIndex && thoughtIndex == c.thoughtIndex && answerIndex == c.answerIndex
                && thoughtTruncated == c.thoughtTruncated && answerTruncated == c.answerTruncated
                && prompt.equals(c.prompt) && metadata.equals(c.metadata) && thought.equals(c.thought)
                && answer.equals(c.answer) && Arrays.equals(thoughtTokens, c.thoughtTokens)
                && Arrays.equals(answerTokens, c.answerTokens);
    }

    @Override
    public int hashCode() {
        return Objects.hash(promptIndex, thoughtIndex, answerIndex, prompt, metadata, thought,
                Arrays.hashCode(thoughtTokens), thoughtTruncated, answer, Arrays.hashCode(answerTokens),
                answerTruncated);
    }

    @Override
    public String toString() {
        return "RewardContext{prompt#" + promptIndex + ", thought#" + thoughtIndex + ", answer#" + answerIndex
                + ", prompt=" + RewardException.excerpt(prompt) + ", answer=" + RewardException.excerpt(answer)
                + ", thoughtTokens=" + thoughtTokens.length + (thoughtTruncated ? " (truncated)" : "")
                + ", answerTokens=" + answerTokens.length + (answerTruncated ? " (truncated)" : "") + "}";
    }

    private static void requireIndex(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0 but was " + value
                    + "; fix: pass the 0-based position of the sample in its group");
        }
    }

    private static String requireText(String field, String value) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is null; fix: pass \"\" for an empty text");
        }
        return value;
    }

    private static int[] copyTokens(String field, int[] tokens) {
        if (tokens == null) {
            throw new IllegalArgumentException(field + " is null; fix: pass new int[0] when there are no tokens");
        }
        return tokens.clone();
    }
}
