package io.github.dl4jgrpoma.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class TokenSamplerTest {
    private static final int N = 20_000;

    /** Plain-Java softmax of {@code logits / temperature} restricted to {@code allowed} (null = all). */
    private static double[] softmax(double[] logits, double temperature, boolean[] allowed) {
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = allowed == null || allowed[i] ? Math.exp(logits[i] / temperature) : 0;
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Draws N tokens and returns the chi-square statistic against {@code expected}; fails on excluded tokens. */
    private static double chiSquare(TokenSampler s, double[] logits, double[] expected, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] counts = new int[logits.length];
        for (int i = 0; i < N; i++) {
            int t = s.sample(logits, rng).token();
            assertTrue(expected[t] > 0, "token " + t + " has probability 0 but was sampled");
            counts[t]++;
        }
        double chi = 0;
        for (int i = 0; i < logits.length; i++) {
            if (expected[i] > 0) {
                double e = expected[i] * N;
                chi += (counts[i] - e) * (counts[i] - e) / e;
            }
        }
        return chi;
    }

    @Test
    void frequenciesMatchTheTemperatureScaledSoftmax() {
        double[] logits = {1.0, 0.5, -0.3, 2.0, 0.0, -1.0};
        TokenSampler s = new TokenSampler(0.7, 0, 1.0);
        double chi = chiSquare(s, logits, softmax(logits, 0.7, null), 123);
        assertTrue(chi < 20.52, "chi-square " + chi + " >= 20.52 (df 5, p = 0.001)");
        double[] p = softmax(logits, 0.7, null);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            SampledToken t = s.sample(logits, rng);
            assertEquals(Math.log(p[t.token()]), t.logProb(), 1e-12);
        }
    }

    @Test
    void chiSquareDetectsAWrongDistribution() {
        // the test itself can fail: the same draws against the temperature-1 softmax give a huge statistic
        double[] logits = {1.0, 0.5, -0.3, 2.0, 0.0, -1.0};
        double chi = chiSquare(new TokenSampler(0.7, 0, 1.0), logits, softmax(logits, 1.0, null), 123);
        assertTrue(chi > 100, "chi-square " + chi);
    }

    @Test
    void topKNeverEmitsExcludedTokensAndRecordsUnfilteredLogProbs() {
        double[] logits = {1.0, 0.5, -0.3, 2.0, 0.0, -1.0};
        TokenSampler s = new TokenSampler(1.0, 2, 1.0);
        boolean[] allowed = {true, false, false, true, false, false};
        double chi = chiSquare(s, logits, softmax(logits, 1.0, allowed), 7);
        assertTrue(chi < 10.83, "chi-square " + chi + " >= 10.83 (df 1, p = 0.001)");
        double[] full = softmax(logits, 1.0, null);
        SampledToken t = s.sample(logits, new SplittableRandom(3));
        assertEquals(Math.log(full[t.token()]), t.logProb(), 1e-12);
        // topK = 1 is greedy
        TokenSampler greedy = new TokenSampler(1.0, 1, 1.0);
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < 100; i++) {
            assertEquals(3, greedy.sample(logits, rng).token());
        }
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingTheMass() {
        double[] logits = {Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)};
        // 0.7: 0.5 < 0.7, 0.5 + 0.3 = 0.8 >= 0.7 -> {0, 1}
        double chi = chiSquare(new TokenSampler(1.0, 0, 0.7), logits, new double[] {0.625, 0.375, 0, 0}, 11);
        assertTrue(chi < 10.83, "chi-square " + chi);
        // 0.5: the first token alone reaches it -> always token 0, logProb log 0.5
        SplittableRandom rng = new SplittableRandom(12);
        for (int i = 0; i < 200; i++) {
            SampledToken t = new TokenSampler(1.0, 0, 0.5).sample(logits, rng);
            assertEquals(0, t.token());
            assertEquals(Math.log(0.5), t.logProb(), 1e-12);
        }
        // top-k then top-p: k = 3 renormalises to {0.526, 0.316, 0.158}; p = 0.9 keeps all three
        chi = chiSquare(new TokenSampler(1.0, 3, 0.9), logits, new double[] {0.5 / 0.95, 0.3 / 0.95, 0.15 / 0.95, 0}, 13);
        assertTrue(chi < 13.82, "chi-square " + chi + " (df 2)");
    }

    @Test
    void nonFiniteLogitsAreAnErrorButMinusInfinityMasksAToken() {
        TokenSampler s = new TokenSampler(1.0, 0, 1.0);
        SplittableRandom rng = new SplittableRandom(5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.sample(new double[] {0, Double.NaN, 1}, rng));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.sample(new double[] {0, Double.POSITIVE_INFINITY}, rng));
        assertThrows(IllegalStateException.class, () -> s.sample(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, rng));
        for (int i = 0; i < 200; i++) {
            SampledToken t = s.sample(new double[] {Double.NEGATIVE_INFINITY, 0, 0}, rng);
            assertTrue(t.token() != 0);
            assertEquals(Math.log(0.5), t.logProb(), 1e-12);
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenSampler(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenSampler(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenSampler(1, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TokenSampler(1, 0, 1.5));
        assertTrue(e.getMessage().contains("topP = 1.5"), e.getMessage());
    }
}
