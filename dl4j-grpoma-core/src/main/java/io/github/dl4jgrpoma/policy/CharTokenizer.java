package io.github.dl4jgrpoma.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Character-level {@link Tokenizer} over a fixed alphabet.
 *
 * <p>Ids are fixed: {@value #PAD} = PAD ({@code <pad>}), {@value #BOS} = BOS ({@code <bos>}), {@value #EOS} = EOS
 * ({@code <eos>}), {@value #BEGIN_THOUGHT} = begin of thought ({@code <think>}), {@value #END_OF_THOUGHT} = end of
 * thought / begin of answer ({@code </think>}); the i-th character of the alphabet (by UTF-16 code unit) has id
 * {@code NUM_SPECIAL + i}. The vocabulary size is {@code NUM_SPECIAL + alphabet.length()}.
 *
 * <p>A character outside the alphabet is an error, never silently dropped.
 */
public final class CharTokenizer implements Tokenizer {
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int BEGIN_THOUGHT = 3;
    public static final int END_OF_THOUGHT = 4;
    public static final int NUM_SPECIAL = 5;
    private static final String[] MARKERS = {"<pad>", "<bos>", "<eos>", "<think>", "</think>"};

    private final String alphabet;
    private final Map<Character, Integer> ids = new HashMap<>();

    /**
     * @param alphabet the distinct characters of the vocabulary, in id order
     * @throws IllegalArgumentException if it is empty or repeats a character
     */
    public CharTokenizer(String alphabet) {
        if (alphabet == null || alphabet.isEmpty()) {
            throw new IllegalArgumentException("CharTokenizer.alphabet is empty; pass the characters of the vocabulary, e.g. \"0123456789+=\"");
        }
        for (int i = 0; i < alphabet.length(); i++) {
            Integer prev = ids.put(alphabet.charAt(i), NUM_SPECIAL + i);
            if (prev != null) {
                throw new IllegalArgumentException("CharTokenizer.alphabet repeats '" + alphabet.charAt(i) + "' at positions "
                        + (prev - NUM_SPECIAL) + " and " + i + "; list each character once");
            }
        }
        this.alphabet = alphabet;
    }

    /** The alphabet, in id order. */
    public String alphabet() {
        return alphabet;
    }

    @Override
    public int vocabSize() {
        return NUM_SPECIAL + alphabet.length();
    }

    @Override
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(text.charAt(i));
            if (id == null) {
                throw new IllegalArgumentException("CharTokenizer: character '" + text.charAt(i) + "' (U+"
                        + String.format("%04X", (int) text.charAt(i)) + ") at position " + i
                        + " is not in the alphabet \"" + alphabet + "\"; add it to the alphabet or remove it from the text");
            }
            out[i] = id;
        }
        return out;
    }

    @Override
    public String decode(int[] tokenIds, boolean skipSpecial) {
        StringBuilder sb = new StringBuilder(tokenIds.length);
        for (int i = 0; i < tokenIds.length; i++) {
            int id = tokenIds[i];
            if (id < 0 || id >= vocabSize()) {
                throw new IllegalArgumentException("CharTokenizer: id " + id + " at position " + i + " is outside [0, "
                        + vocabSize() + ")");
            }
            if (id < NUM_SPECIAL) {
                if (!skipSpecial) {
                    sb.append(MARKERS[id]);
                }
            } else {
                sb.append(alphabet.charAt(id - NUM_SPECIAL));
            }
        }
        return sb.toString();
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 0 && id < NUM_SPECIAL;
    }

    @Override
    public String specialMarker(int id) {
        if (!isSpecial(id)) {
            throw new IllegalArgumentException("CharTokenizer: id " + id + " is not special (specials are 0.." + (NUM_SPECIAL - 1) + ")");
        }
        return MARKERS[id];
    }

    @Override
    public int pad() {
        return PAD;
    }

    @Override
    public int bos() {
        return BOS;
    }

    @Override
    public int eos() {
        return EOS;
    }

    @Override
    public int beginThought() {
        return BEGIN_THOUGHT;
    }

    @Override
    public int endOfThought() {
        return END_OF_THOUGHT;
    }
}
