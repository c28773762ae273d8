package io.github.dl4jgrpoma.data;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * One training prompt: a stable id, its text (handed to rewards), the token ids the policy is conditioned on
 * (for example {@code BOS + encode(text) + <think>}), its conditioning arrays (for example the image of a
 * vision-language task; none for text) and task metadata such as {@code "expected" -> "42"}.
 *
 * <p>The id keys all randomness of the prompt's rollouts (with the run seed, the step, the thought and answer
 * index), so a prompt gets the same rollout wherever it sits in a batch, whatever the batch size and whichever
 * worker samples it. Prompts built without an id get one derived from their content ({@link #contentId}); give
 * prompts an explicit id when the same content may legitimately appear twice in a batch and should be sampled
 * independently (duplicates of one id in a batch are told apart by their occurrence order).
 *
 * <p>Immutable: the token array is copied in and out, the metadata map is an unmodifiable copy, conditioning
 * arrays are copied by {@link Conditioning}.
 *
 * @param id           stable identifier, non-blank
 * @param text         prompt text, never null (may be empty)
 * @param tokens       ids the rollout starts from, at least one
 * @param conditioning per-prompt conditioning arrays without the batch dimension; never null (use
 *                     {@link Conditioning#none()})
 * @param metadata     task metadata handed to every {@link io.github.dl4jgrpoma.reward.RewardContext}; never null
 */
public record Prompt(String id, String text, int[] tokens, Conditioning conditioning, Map<String, String> metadata) {

    /** Validates and copies. */
    public Prompt {
        if (text == null) {
            throw new IllegalArgumentException("Prompt.text is null; use \"\" for a prompt without text");
        }
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("Prompt.tokens of '" + text + "' is empty; pass at least one id, "
                    + "e.g. BOS + encode(text) + <think>");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("Prompt.id of '" + text + "' is blank; pass a stable id (e.g. the example's"
                    + " index in its data set) or use a constructor that derives it from the content");
        }
        tokens = tokens.clone();
        conditioning = conditioning == null ? Conditioning.none() : conditioning;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A text prompt whose id is derived from its content. */
    public Prompt(String text, int[] tokens, Map<String, String> metadata) {
        this(contentId(text, tokens, Conditioning.none(), metadata), text, tokens, Conditioning.none(), metadata);
    }

    /** A text prompt without metadata, id derived from its content. */
    public Prompt(String text, int[] tokens) {
        this(text, tokens, Map.of());
    }

    /** A conditioned prompt whose id is derived from its content (conditioning values included). */
    public static Prompt conditioned(String text, int[] tokens, Conditioning conditioning, Map<String, String> metadata) {
        return new Prompt(contentId(text, tokens, conditioning, metadata), text, tokens, conditioning, metadata);
    }

    /** A prompt of token ids only (empty text, id derived from the tokens): for tests and token-level tasks. */
    public static Prompt ofTokens(int... tokens) {
        return new Prompt("", tokens);
    }

    /**
     * The id derived from content: {@code "c"} + 16 hex digits of a stable 64-bit hash of the text, tokens, metadata
     * (sorted) and conditioning names, shapes and values.
     */
    public static String contentId(String text, int[] tokens, Conditioning conditioning, Map<String, String> metadata) {
        long h = Seeds.hash(text == null ? "" : text);
        for (int t : tokens == null ? new int[0] : tokens) {
            h = Seeds.mix(h, t);
        }
        for (Map.Entry<String, String> e : new TreeMap<>(metadata == null ? Map.<String, String>of() : metadata).entrySet()) {
            h = Seeds.mix(h, Seeds.hash(e.getKey()), Seeds.hash(e.getValue()));
        }
        if (conditioning != null) {
            for (String name : conditioning.names()) {
                h = Seeds.mix(h, Seeds.hash(name));
                for (double v : conditioning.get(name).castTo(DataType.DOUBLE).data().asDouble()) {
                    h = Seeds.mix(h, Double.doubleToLongBits(v));
                }
            }
        }
        return String.format("c%016x", h);
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
        return o instanceof Prompt p && id.equals(p.id) && text.equals(p.text) && Arrays.equals(tokens, p.tokens)
                && conditioning.equals(p.conditioning) && metadata.equals(p.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, text, Arrays.hashCode(tokens), conditioning, metadata);
    }

    @Override
    public String toString() {
        return "Prompt[id=" + id + ", text=" + text + ", tokens=" + Arrays.toString(tokens)
                + (conditioning.isEmpty() ? "" : ", conditioning=" + conditioning) + ", metadata=" + metadata + "]";
    }
}
