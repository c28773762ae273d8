package io.github.dl4jgrpoma.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CharTokenizerTest {
    private final CharTokenizer tok = new CharTokenizer("0123456789+=");

    @Test
    void specialIdsAreFixed() {
        assertEquals(0, tok.pad());
        assertEquals(1, tok.bos());
        assertEquals(2, tok.eos());
        assertEquals(3, tok.beginThought());
        assertEquals(4, tok.endOfThought());
        assertEquals(17, tok.vocabSize());
        assertTrue(tok.isSpecial(4));
        assertFalse(tok.isSpecial(5));
        assertEquals("</think>", tok.specialMarker(4));
        assertThrows(IllegalArgumentException.class, () -> tok.specialMarker(5));
    }

    @Test
    void encodeMapsCharactersInAlphabetOrderAndRoundTrips() {
        assertArrayEquals(new int[] {6, 15, 7, 16, 8}, tok.encode("1+2=3"));
        assertEquals("1+2=3", tok.decode(tok.encode("1+2=3")));
        assertEquals("", tok.decode(tok.encode("")));
        String all = "9876543210=+";
        assertEquals(all, tok.decode(tok.encode(all)));
    }

    @Test
    void specialsAreRenderedOrSkipped() {
        int[] ids = {1, 6, 15, 7, 3, 8, 4, 8, 2, 0};
        assertEquals("<bos>1+2<think>3</think>3<eos><pad>", tok.decode(ids));
        assertEquals("1+233", tok.decode(ids, true));
    }

    @Test
    void unknownCharacterIsAnErrorNamingCharacterPositionAndAlphabet() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.encode("12x4"));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertTrue(e.getMessage().contains("position 2"), e.getMessage());
        assertTrue(e.getMessage().contains("\"0123456789+=\""), e.getMessage());
    }

    @Test
    void badIdsAndAlphabetsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {5, 17}));
        assertTrue(e.getMessage().contains("id 17 at position 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tok.decode(new int[] {-1}));
        e = assertThrows(IllegalArgumentException.class, () -> new CharTokenizer("abca"));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("0 and 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CharTokenizer(""));
    }
}
