package io.github.dl4jgrpoma.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class LossConfigTest {

    @Test
    void defaultsAreTheDocumentedValues() {
        LossConfig c = LossConfig.defaults();
        assertEquals(0.2, c.epsLow());
        assertEquals(0.2, c.epsHigh());
        assertEquals(0.0, c.beta());
        assertEquals(KlEstimator.K3, c.klEstimator());
        assertEquals("sequence-mean", c.aggregation());
        assertEquals(1.0, c.thoughtWeight());
        assertEquals(0.0, c.constantNormalizer());
        assertFalse(c.usesReference());
        assertTrue(c.toBuilder().beta(0.04).build().usesReference());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void klEstimatorNamesParseAndK1IsRejectedWithTheAlternatives() {
        assertEquals(KlEstimator.K2, KlEstimator.fromName("k2"));
        assertEquals(KlEstimator.K3, KlEstimator.fromName(" K3 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KlEstimator.fromName("k1"));
        assertTrue(e.getMessage().contains("'k3'") && e.getMessage().contains("'k2'")
                && e.getMessage().contains("gradient"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KlEstimator.fromName("k4"));
        assertTrue(e.getMessage().contains("[k2, k3]"), e.getMessage());
    }

    @Test
    void badValuesAreRejectedWithTheFieldNameAndValue() {
        expectRejected(b -> b.epsLow(0), "epsLow", "0.0");
        expectRejected(b -> b.epsLow(1), "epsLow", "1.0");
        expectRejected(b -> b.epsLow(Double.NaN), "epsLow", "NaN");
        expectRejected(b -> b.epsHigh(0), "epsHigh", "0.0");
        expectRejected(b -> b.epsHigh(Double.POSITIVE_INFINITY), "epsHigh", "Infinity");
        expectRejected(b -> b.beta(-0.1), "beta", "-0.1");
        expectRejected(b -> b.beta(Double.NaN), "beta", "NaN");
        expectRejected(b -> b.klEstimator(null), "klEstimator", "K3");
        expectRejected(b -> b.aggregation(" "), "aggregation", "sequence-mean");
        expectRejected(b -> b.aggregation(null), "aggregation", "null");
        expectRejected(b -> b.thoughtWeight(-1), "thoughtWeight", "-1.0");
        expectRejected(b -> b.constantNormalizer(-2), "constantNormalizer", "-2.0");
        // boundaries that are allowed
        assertEquals(0.0, LossConfig.builder().thoughtWeight(0).build().thoughtWeight());
        assertEquals(0.28, LossConfig.builder().epsHigh(0.28).build().epsHigh());
        assertEquals(1.5, LossConfig.builder().epsHigh(1.5).build().epsHigh());
    }

    private static void expectRejected(UnaryOperator<LossConfig.Builder> change, String field, String shown) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(LossConfig.builder()).build());
        assertTrue(e.getMessage().contains("LossConfig." + field), e.getMessage());
        assertTrue(e.getMessage().contains(shown), e.getMessage());
    }
}
