package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdvantageConfigTest {

    @Test
    void defaultsAreDocumentedValues() {
        AdvantageConfig d = AdvantageConfig.defaults();
        assertEquals(1e-4, d.delta(), 0.0);
        assertEquals(StdConvention.SAMPLE, d.stdConvention());
        assertEquals(AnswerNormalization.PROMPT, d.answerNormalization());
        assertEquals(d, AdvantageConfig.builder().build());
    }

    @Test
    void buildersAndWithersChangeOneFieldOnly() {
        AdvantageConfig c = AdvantageConfig.builder().delta(0).stdConvention(StdConvention.POPULATION)
                .answerNormalization(AnswerNormalization.THOUGHT).build();
        assertEquals(new AdvantageConfig(0, StdConvention.POPULATION, AnswerNormalization.THOUGHT, RewardScaling.GROUP), c);
        assertEquals(new AdvantageConfig(0.5, StdConvention.POPULATION, AnswerNormalization.THOUGHT, RewardScaling.GROUP), c.withDelta(0.5));
        assertEquals(new AdvantageConfig(0, StdConvention.SAMPLE, AnswerNormalization.THOUGHT, RewardScaling.GROUP),
                c.withStdConvention(StdConvention.SAMPLE));
        assertEquals(new AdvantageConfig(0, StdConvention.POPULATION, AnswerNormalization.PROMPT, RewardScaling.GROUP),
                c.withAnswerNormalization(AnswerNormalization.PROMPT));
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void invalidValuesNameFieldValueAndFix() {
        for (double bad : new double[] {-1e-9, Double.NaN, Double.POSITIVE_INFINITY}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> AdvantageConfig.defaults().withDelta(bad))
                    .getMessage();
            assertTrue(msg.contains("delta") && msg.contains(String.valueOf(bad)) && msg.contains("1.0E-4"), msg);
        }
        String conv = assertThrows(IllegalArgumentException.class,
                () -> AdvantageConfig.builder().stdConvention(null).build()).getMessage();
        assertTrue(conv.contains("stdConvention") && conv.contains("null") && conv.contains("SAMPLE"), conv);
        String norm = assertThrows(IllegalArgumentException.class,
                () -> AdvantageConfig.defaults().withAnswerNormalization(null)).getMessage();
        assertTrue(norm.contains("answerNormalization") && norm.contains("PROMPT"), norm);
    }

    @Test
    void stdConventionDivisors() {
        assertEquals(5, StdConvention.POPULATION.divisor(5));
        assertEquals(4, StdConvention.SAMPLE.divisor(5));
        assertEquals(0, StdConvention.SAMPLE.divisor(1));
        assertThrows(IllegalArgumentException.class, () -> StdConvention.SAMPLE.divisor(0));
    }
}
