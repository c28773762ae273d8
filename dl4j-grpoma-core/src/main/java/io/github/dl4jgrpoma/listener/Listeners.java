package io.github.dl4jgrpoma.listener;

import java.util.List;

/**
 * Calls several listeners in order.
 *
 * <ul>
 *   <li>{@code onStart}/{@code onStep}: each listener in order; an exception propagates at once (later
 *       listeners are not called for that event), so put metrics writers <em>before</em> guards that throw
 *       if the offending row should be recorded;</li>
 *   <li>{@code onStep} responses are combined with {@link ListenerResponse#combine}: STOP if any listener
 *       says STOP, reasons joined in order; every listener still sees the step;</li>
 *   <li>{@code onEnd}: every listener is called even if one throws (so every file is closed); the first
 *       exception is rethrown afterwards with the later ones attached as suppressed.</li>
 * </ul>
 */
public final class Listeners implements TrainingListener {
    private final List<TrainingListener> listeners;

    private Listeners(List<TrainingListener> listeners) {
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i) == null) {
                throw new IllegalArgumentException("listener " + i + " is null; fix: leave it out");
            }
        }
        this.listeners = List.copyOf(listeners);
    }

    /** The listeners, called in the given order. */
    public static Listeners of(TrainingListener... listeners) {
        return new Listeners(java.util.Arrays.asList(listeners));
    }

    /** The listeners, called in list order. */
    public static Listeners of(List<? extends TrainingListener> listeners) {
        return new Listeners(List.copyOf(listeners));
    }

    /** The listeners in call order. */
    public List<TrainingListener> listeners() {
        return listeners;
    }

    @Override
    public void onStart(TrainingStartEvent event) {
        for (TrainingListener l : listeners) {
            l.onStart(event);
        }
    }

    @Override
    public ListenerResponse onStep(StepEvent event) {
        ListenerResponse combined = ListenerResponse.CONTINUE;
        for (TrainingListener l : listeners) {
            ListenerResponse r = l.onStep(event);
            if (r == null) {
                throw new IllegalStateException(l.getClass().getName()
                        + ".onStep returned null; fix: return ListenerResponse.CONTINUE");
            }
            combined = combined.combine(r);
        }
        return combined;
    }

    @Override
    public void onEnd(TrainingEndEvent event) {
        RuntimeException first = null;
        for (TrainingListener l : listeners) {
            try {
                l.onEnd(event);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
