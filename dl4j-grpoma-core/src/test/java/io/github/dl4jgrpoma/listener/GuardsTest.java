package io.github.dl4jgrpoma.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class GuardsTest {

    private static StepEvent rl(long step, Map<String, Double> m) {
        return new StepEvent("rl", step, 100, step * 10, m);
    }

    @Test
    void nanGuardThrowsNamingStepAndEveryNonFiniteMetric() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", Double.NaN);
        m.put("reward/mean", 0.5);
        m.put("grad_norm", Double.POSITIVE_INFINITY);
        NanGuardListener guard = new NanGuardListener();
        assertEquals(ListenerResponse.CONTINUE, guard.onStep(rl(6, Map.of("loss", 0.3))));
        NonFiniteMetricException e = assertThrows(NonFiniteMetricException.class, () -> guard.onStep(rl(7, m)));
        assertEquals(7, e.step());
        assertEquals("rl", e.phase());
        assertEquals(List.of("loss", "grad_norm"), e.metricNames());
        assertTrue(e.getMessage().contains("rl step 7/100: loss=NaN, grad_norm=Infinity"), e.getMessage());
        assertFalse(e.getMessage().contains("reward/mean"), e.getMessage());
        assertTrue(e.getMessage().contains("fix:"), e.getMessage());

        NanGuardListener onlyReward = new NanGuardListener(Set.of("reward/mean"));
        assertEquals(ListenerResponse.CONTINUE, onlyReward.onStep(rl(7, m)));
        NonFiniteMetricException neg = assertThrows(NonFiniteMetricException.class,
                () -> onlyReward.onStep(rl(8, Map.of("reward/mean", Double.NEGATIVE_INFINITY))));
        assertEquals(List.of("reward/mean"), neg.metricNames());
    }

    /** Feeds values at steps 1..n and returns the step that returned STOP, or -1. */
    private static long runUntilStop(EarlyStoppingListener l, double... values) {
        l.onStart(new TrainingStartEvent("run", values.length, Map.of()));
        for (int i = 0; i < values.length; i++) {
            ListenerResponse r = l.onStep(rl(i + 1, Map.of("reward/mean", values[i])));
            if (r.stop()) {
                return i + 1;
            }
        }
        return -1;
    }

    @Test
    void earlyStoppingPatienceWithMinDeltaStopsAtTheHandComputedStep() {
        EarlyStoppingListener l = EarlyStoppingListener.builder().metric("reward/mean").patience(2).minDelta(0.05)
                .build();
        // best: .10 (s1) -> .20 (s2, > .15) ; .22 not > .25 (1) ; .30 > .25 new best (s4) ; .33 (1) ; .34 (2) -> stop
        assertEquals(6, runUntilStop(l, 0.10, 0.20, 0.22, 0.30, 0.33, 0.34, 0.90));
        assertEquals(0.30, l.bestValue());
        assertEquals(4, l.bestStep());
        // Without minDelta every increase counts: no stop on a strictly increasing sequence.
        EarlyStoppingListener plain = EarlyStoppingListener.builder().metric("reward/mean").patience(2).build();
        assertEquals(-1, runUntilStop(plain, 0.10, 0.20, 0.22, 0.30, 0.33, 0.34));
        // Equal values are not an improvement: stop at the second repeat.
        assertEquals(3, runUntilStop(plain, 0.5, 0.5, 0.5, 0.9));
        // NaN never improves.
        assertEquals(3, runUntilStop(plain, 0.5, Double.NaN, Double.NaN));
    }

    @Test
    void earlyStoppingMinimizeAndTarget() {
        EarlyStoppingListener loss = EarlyStoppingListener.builder().metric("reward/mean").goal(MetricGoal.MINIMIZE)
                .target(0.5).build();
        assertEquals(3, runUntilStop(loss, 0.9, 0.7, 0.5, 0.4));
        EarlyStoppingListener minPatience = EarlyStoppingListener.builder().metric("reward/mean")
                .goal(MetricGoal.MINIMIZE).patience(1).minDelta(0.1).build();
        // best .9 ; .85 not < .8 -> 1 -> stop at step 2
        assertEquals(2, runUntilStop(minPatience, 0.9, 0.85));
        EarlyStoppingListener target = EarlyStoppingListener.builder().metric("reward/mean").target(0.8).patience(10)
                .build();
        {
            target.onStart(new TrainingStartEvent("run", 3, Map.of()));
            target.onStep(rl(1, Map.of("reward/mean", 0.5)));
            ListenerResponse r = target.onStep(rl(2, Map.of("reward/mean", 0.81)));
            assertTrue(r.stop());
            assertTrue(r.reason().contains("reached the target 0.8") && r.reason().contains("step 2"), r.reason());

        }
    }

    @Test
    void earlyStoppingIgnoresOtherPhasesAndStepsWithoutTheMetric() {
        EarlyStoppingListener l = EarlyStoppingListener.builder().metric("eval/acc").patience(2).build();
        l.onStart(new TrainingStartEvent("run", 10, Map.of()));
        assertFalse(l.onStep(new StepEvent("sft", 1, 5, 1, Map.of("eval/acc", 0.9))).stop());
        assertFalse(l.onStep(new StepEvent("sft", 2, 5, 1, Map.of("eval/acc", 0.1))).stop());
        assertFalse(l.onStep(new StepEvent("sft", 3, 5, 1, Map.of("eval/acc", 0.1))).stop());
        assertFalse(l.onStep(rl(1, Map.of("eval/acc", 0.4))).stop());
        assertFalse(l.onStep(rl(2, Map.of("loss", 1.0))).stop());
        assertFalse(l.onStep(rl(3, Map.of("eval/acc", 0.3))).stop());
        assertFalse(l.onStep(rl(4, Map.of("loss", 1.0))).stop());
        ListenerResponse r = l.onStep(rl(5, Map.of("eval/acc", 0.4)));
        assertTrue(r.stop());
        assertTrue(r.reason().contains("for 2 observations (best 0.4 at step 1"), r.reason());
    }

    @Test
    void earlyStoppingValidation() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> EarlyStoppingListener.builder().metric("m").build());
        assertTrue(none.getMessage().contains("neither patience nor target"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EarlyStoppingListener.builder().patience(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> EarlyStoppingListener.builder().metric("m").patience(-1).build());
        assertThrows(IllegalArgumentException.class,
                () -> EarlyStoppingListener.builder().metric("m").patience(1).minDelta(-0.1).build());
        assertThrows(IllegalArgumentException.class,
                () -> EarlyStoppingListener.builder().metric("m").target(Double.NaN).build());
    }
}
