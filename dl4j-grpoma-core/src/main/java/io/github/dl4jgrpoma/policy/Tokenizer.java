package io.github.dl4jgrpoma.policy;

/**
 * Maps text to token ids and back, with the special tokens a GRPO-MA rollout needs.
 *
 * <p>Special tokens: {@link #pad()} (filler, never sampled on purpose), {@link #bos()} (start of a sequence),
 * {@link #eos()} (end of the answer: stops answer sampling), {@link #beginThought()} (ends a prompt and opens the
 * thought) and {@link #endOfThought()} (closes the thought and opens the answer: stops thought sampling).
 * {@link #encode(String)} never produces special ids; callers add them explicitly.
 */
public interface Tokenizer {

    /** Number of ids, specials included; the policy's vocabulary size must equal it. */
    int vocabSize();

    /**
     * Encodes plain text (no special tokens).
     *
     * @throws IllegalArgumentException naming the character, its position and the allowed alphabet if the text
     *                                  holds a character outside the vocabulary
     */
    int[] encode(String text);

    /**
     * Decodes ids to text. Ordinary ids map back to their text, so {@code decode(encode(s)).equals(s)}; special
     * ids are rendered as their markers (see {@link #specialMarker(int)}) unless {@code skipSpecial} is set.
     *
     * @throws IllegalArgumentException for an id outside {@code [0, vocabSize)}
     */
    String decode(int[] ids, boolean skipSpecial);

    /** {@code decode(ids, false)}. */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** True for the ids of special tokens. */
    boolean isSpecial(int id);

    /** The printable marker of a special id, such as {@code "<eos>"}. */
    String specialMarker(int id);

    int pad();

    int bos();

    int eos();

    int beginThought();

    int endOfThought();
}
