package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class GradientSpikeTrackerTest {

    @Test
    void scoreIsNormOverMedianOfPreviousWindow() {
        GradientSpikeTracker t = new GradientSpikeTracker();
        assertTrue(Double.isNaN(t.score(1.0)), "no history on the first step");
        assertEquals(2.0, t.score(2.0), 0.0);           // median {1} = 1
        assertEquals(3.0 / 1.5, t.score(3.0), 1e-15);   // median {1,2} = 1.5
        assertEquals(10.0 / 2.0, t.score(10.0), 1e-15); // median {1,2,3} = 2
        for (int i = 0; i < 20; i++) {
            t.score(4.0);
        }
        assertEquals(2.0, t.score(8.0), 0.0, "only the last 10 norms count: median 4");
    }

    @Test
    void zeroGradientStepsDoNotMakeTheNextScoreInfinite() {
        GradientSpikeTracker t = new GradientSpikeTracker();
        t.score(0.0);
        assertTrue(Double.isNaN(t.score(0.0)), "no nonzero history yet");
        assertTrue(Double.isNaN(t.score(1.5)), "still no nonzero history before this step");
        assertEquals(0.0, t.score(0.0), 0.0);
        assertEquals(2.0, t.score(3.0), 0.0, "median of the nonzero earlier norms {1.5}");
        assertEquals(List.of(0.0, 0.0, 1.5, 0.0, 3.0), t.history());
    }
}
