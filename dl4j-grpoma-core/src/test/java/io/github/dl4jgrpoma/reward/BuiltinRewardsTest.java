package io.github.dl4jgrpoma.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class BuiltinRewardsTest {

    private static RewardContext ctx(String answer, Map<String, String> meta) {
        return RewardContext.builder().prompt("What is 6*7?").metadata(meta).answer(answer).build();
    }

    @Test
    void numericMatchComparesWithinTolerance() {
        NumericMatchReward r = NumericMatchReward.withDefaults();
        assertEquals("numeric_match", r.name());
        assertEquals(1.0, r.score(ctx(" 42 ", Map.of("answer", "42"))));
        assertEquals(1.0, r.score(ctx("42.0", Map.of("answer", "42"))));
        assertEquals(0.0, r.score(ctx("41", Map.of("answer", "42"))));
        assertEquals(0.0, r.score(ctx("forty-two", Map.of("answer", "42"))));
        assertEquals(0.0, r.score(ctx("", Map.of("answer", "42"))));

        NumericMatchReward loose = new NumericMatchReward("approx", "target", 0.1);
        assertEquals(1.0, loose.score(ctx("3.05", Map.of("target", "3"))));
        assertEquals(1.0, loose.score(ctx("2.95", Map.of("target", "3"))));
        assertEquals(0.0, loose.score(ctx("3.2", Map.of("target", "3"))));
        NumericMatchReward exact = new NumericMatchReward("exact", "answer", 0.0);
        assertEquals(0.0, exact.score(ctx("0.30000001", Map.of("answer", "0.3"))));
        assertEquals(1.0, exact.score(ctx(".3", Map.of("answer", "0.3"))));
    }

    @Test
    void numericMatchReportsDataErrorsAndBadConfig() {
        NumericMatchReward r = NumericMatchReward.forKey("solution");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> r.score(ctx("42", Map.of("answer", "42"))));
        assertTrue(missing.getMessage().contains("'solution'") && missing.getMessage().contains("[answer]"),
                missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> r.score(ctx("42", Map.of("solution", "about 42"))));
        assertTrue(bad.getMessage().contains("about 42"), bad.getMessage());
        IllegalArgumentException tol = assertThrows(IllegalArgumentException.class,
                () -> new NumericMatchReward("n", "answer", -1));
        assertTrue(tol.getMessage().contains("tolerance") && tol.getMessage().contains("-1"));
        assertThrows(IllegalArgumentException.class, () -> new NumericMatchReward("n", "answer", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new NumericMatchReward("bad/name", "answer", 0));
    }

    @Test
    void exactMatchAppliesNormalisationSteps() {
        Map<String, String> meta = Map.of("answer", "Paris  France");
        assertEquals(1.0, ExactMatchReward.withDefaults().score(ctx("  Paris  France\n", meta)));
        assertEquals(0.0, ExactMatchReward.withDefaults().score(ctx("paris  france", meta)));
        assertEquals(0.0, ExactMatchReward.withDefaults().score(ctx("Paris France", meta)));
        ExactMatchReward loose = new ExactMatchReward("em", "answer",
                Set.of(TextNormalization.STRIP, TextNormalization.COLLAPSE_WHITESPACE, TextNormalization.LOWER_CASE));
        assertEquals(1.0, loose.score(ctx(" PARIS \t france ", meta)));
        assertEquals(0.0, loose.score(ctx("Paris, France", meta)));
        ExactMatchReward raw = new ExactMatchReward("raw", "answer", Set.of());
        assertEquals(0.0, raw.score(ctx("Paris  France ", meta)));
        assertEquals(1.0, raw.score(ctx("Paris  France", meta)));
        // Order: strip before collapse, so leading whitespace disappears instead of becoming one space.
        ExactMatchReward collapse = new ExactMatchReward("c", "answer",
                Set.of(TextNormalization.COLLAPSE_WHITESPACE, TextNormalization.STRIP));
        assertEquals("a b", collapse.normalize("\n a \t b \n"));
    }

    @Test
    void formatRewardsReturnTheirValueOnlyWhenTheCheckPasses() {
        FormatReward num = FormatReward.numericAnswer("is_number", 0.1);
        assertEquals(0.1, num.score(ctx(" -12.5 ", Map.of())));
        assertEquals(0.0, num.score(ctx("12 apples", Map.of())));

        FormatReward tag = FormatReward.answerMatches("boxed", Pattern.compile("(?s).*\\\\boxed\\{[^}]+\\}.*"), 0.2);
        assertEquals(0.2, tag.score(ctx("so \\boxed{42}.", Map.of())));
        assertEquals(0.0, tag.score(ctx("so \\boxed{}.", Map.of())));

        FormatReward thought = FormatReward.thoughtMatches("steps", Pattern.compile("step 1.*"), 0.3);
        RewardContext withThought = RewardContext.builder().thought("step 1: 6*7", 1, 2).answer("42").build();
        assertEquals(0.3, thought.score(withThought));
        assertEquals(0.0, thought.score(ctx("42", Map.of())));

        FormatReward done = FormatReward.completed("complete", 0.05);
        assertEquals(0.05, done.score(ctx("42", Map.of())));
        assertEquals(0.0, done.score(RewardContext.builder().answer("4").answerTruncated(true).build()));
        assertEquals(0.0, done.score(RewardContext.builder().answer("4").thoughtTruncated(true).build()));
        assertThrows(IllegalArgumentException.class, () -> FormatReward.completed("c", Double.POSITIVE_INFINITY));
    }

    @Test
    void contextIsImmutable() {
        int[] tokens = {1, 2, 3};
        java.util.HashMap<String, String> meta = new java.util.HashMap<>(Map.of("answer", "1"));
        RewardContext c = RewardContext.builder().metadata(meta).answer("1", tokens).build();
        tokens[0] = 99;
        meta.put("answer", "2");
        assertEquals(1, c.answerTokens()[0]);
        c.answerTokens()[0] = 77;
        assertEquals(1, c.answerTokens()[0]);
        assertEquals("1", c.requireMetadata("answer"));
        assertThrows(UnsupportedOperationException.class, () -> c.metadata().put("x", "y"));
        assertEquals(c, RewardContext.builder().metadata(Map.of("answer", "1")).answer("1", 1, 2, 3).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardContext.builder().indices(0, -1, 0).build());
        assertTrue(e.getMessage().contains("thoughtIndex") && e.getMessage().contains("-1"));
    }
}
