package io.github.dl4jgrpoma.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdvantagesTest {

    private static Advantages sample(double[] th, double[][] ans, double[] v) {
        return new Advantages(th, ans, v, 0.5, 0.25, false, 0, 1);
    }

    @Test
    void inputsAreCopiedAndAccessorsReturnCopies() {
        double[] th = {1, -1};
        double[][] ans = {{0.5, -0.5}, {0.25, -0.25}};
        double[] v = {0.75, 0.25};
        Advantages a = sample(th, ans, v);
        th[0] = 99;
        ans[0][0] = 99;
        v[0] = 99;
        assertArrayEquals(new double[] {1, -1}, a.thoughtAdvantages(), 0.0);
        assertEquals(0.5, a.answerAdvantage(0, 0), 0.0);
        assertEquals(0.75, a.thoughtValue(0), 0.0);
        a.thoughtAdvantages()[1] = 99;
        a.answerAdvantages()[1][1] = 99;
        a.thoughtValues()[1] = 99;
        assertEquals(-1, a.thoughtAdvantage(1), 0.0);
        assertEquals(-0.25, a.answerAdvantage(1, 1), 0.0);
        assertEquals(0.25, a.thoughtValue(1), 0.0);
    }

    @Test
    void equalityComparesContents() {
        Advantages a = sample(new double[] {1, -1}, new double[][] {{1}, {-1}}, new double[] {1, 0});
        Advantages b = sample(new double[] {1, -1}, new double[][] {{1}, {-1}}, new double[] {1, 0});
        Advantages c = sample(new double[] {1, -1}, new double[][] {{1}, {-0.5}}, new double[] {1, 0});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
    }

    @Test
    void inconsistentShapesAndCountsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> sample(new double[] {1, -1}, new double[][] {{1}}, new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> sample(new double[] {1, -1}, new double[][] {{1}, {1, 2}}, new double[] {1, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> new Advantages(new double[] {0}, new double[][] {{0}}, new double[] {0}, 0, 0, true, 2, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new Advantages(new double[0], new double[0][], new double[0], 0, 0, true, 0, 1));
    }
}
