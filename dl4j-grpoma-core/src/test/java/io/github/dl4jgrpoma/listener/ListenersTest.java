package io.github.dl4jgrpoma.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ListenersTest {

    private final List<String> calls = new ArrayList<>();

    private TrainingListener recording(String name, ListenerResponse response) {
        return new TrainingListener() {
            @Override
            public void onStart(TrainingStartEvent event) {
                calls.add(name + ".start");
            }

            @Override
            public ListenerResponse onStep(StepEvent event) {
                calls.add(name + ".step" + event.step());
                return response;
            }

            @Override
            public void onEnd(TrainingEndEvent event) {
                calls.add(name + ".end");
            }
        };
    }

    private static final StepEvent STEP = new StepEvent("rl", 1, 2, 0, Map.of());
    private static final TrainingEndEvent END = new TrainingEndEvent(EndReason.FAILED, 1, 5, Map.of(), "boom");

    @Test
    void responseCombination() {
        ListenerResponse a = ListenerResponse.stop("a");
        ListenerResponse b = ListenerResponse.stop("b");
        assertSame(ListenerResponse.CONTINUE, ListenerResponse.CONTINUE.combine(ListenerResponse.CONTINUE));
        assertSame(a, ListenerResponse.CONTINUE.combine(a));
        assertSame(a, a.combine(ListenerResponse.CONTINUE));
        assertEquals(ListenerResponse.stop("a; b"), a.combine(b));
        assertThrows(IllegalArgumentException.class, () -> ListenerResponse.stop(" "));
    }

    @Test
    void callsAllInOrderAndCombinesResponses() {
        Listeners all = Listeners.of(recording("A", ListenerResponse.CONTINUE),
                recording("B", ListenerResponse.stop("target reached")), new TrainingListener() { },
                recording("C", ListenerResponse.stop("patience")));
        all.onStart(new TrainingStartEvent("run", 2, Map.of("K", "4")));
        ListenerResponse r = all.onStep(STEP);
        assertTrue(r.stop());
        assertEquals("target reached; patience", r.reason());
        all.onEnd(END);
        assertEquals(List.of("A.start", "B.start", "C.start", "A.step1", "B.step1", "C.step1", "A.end", "B.end",
                "C.end"), calls);
        assertFalse(Listeners.of(recording("X", ListenerResponse.CONTINUE)).onStep(STEP).stop());
    }

    @Test
    void stepExceptionPropagatesAtOnceButEveryListenerSeesTheEnd() {
        TrainingListener throwing = new TrainingListener() {
            @Override
            public ListenerResponse onStep(StepEvent event) {
                throw new IllegalStateException("guard");
            }

            @Override
            public void onEnd(TrainingEndEvent event) {
                calls.add("T.end");
                throw new IllegalStateException("close failed 1");
            }
        };
        TrainingListener throwing2 = new TrainingListener() {
            @Override
            public void onEnd(TrainingEndEvent event) {
                throw new IllegalArgumentException("close failed 2");
            }
        };
        Listeners all = Listeners.of(recording("A", ListenerResponse.CONTINUE), throwing,
                recording("B", ListenerResponse.CONTINUE), throwing2);
        IllegalStateException step = assertThrows(IllegalStateException.class, () -> all.onStep(STEP));
        assertEquals("guard", step.getMessage());
        assertEquals(List.of("A.step1"), calls); // B did not see the step
        IllegalStateException end = assertThrows(IllegalStateException.class, () -> all.onEnd(END));
        assertEquals("close failed 1", end.getMessage());
        assertEquals(1, end.getSuppressed().length);
        assertEquals("close failed 2", end.getSuppressed()[0].getMessage());
        assertEquals(List.of("A.step1", "A.end", "T.end", "B.end"), calls);
    }

    @Test
    void nullResponseIsAClearError() {
        TrainingListener bad = new TrainingListener() {
            @Override
            public ListenerResponse onStep(StepEvent event) {
                return null;
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Listeners.of(bad).onStep(STEP));
        assertTrue(e.getMessage().contains("ListenerResponse.CONTINUE"), e.getMessage());
    }

    @Test
    void eventsAreValidatedAndImmutable() {
        java.util.LinkedHashMap<String, Double> m = new java.util.LinkedHashMap<>();
        m.put("b", 1.0);
        m.put("a", 2.0);
        StepEvent e = new StepEvent("rl", 2, 2, 0, m);
        m.put("c", 3.0);
        assertEquals(List.of("b", "a"), List.copyOf(e.metrics().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> e.metrics().put("x", 1.0));
        assertTrue(e.isLast());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> new StepEvent("rl", 3, 2, 0, Map.of()));
        assertTrue(range.getMessage().contains("step 3 of 2"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StepEvent("r l", 1, 2, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new StepEvent("rl", 1, 2, 0, Map.of("a\nb", 1.0)));
        assertThrows(IllegalArgumentException.class, () -> new StepEvent("rl", 1, 2, -1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new TrainingStartEvent("my run", 1, Map.of()));
    }
}
