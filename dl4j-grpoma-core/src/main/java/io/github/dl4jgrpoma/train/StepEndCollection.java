package io.github.dl4jgrpoma.train;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A trainer's step-end {@code System.gc()} on a daemon thread of its own, so that the next step starts while the
 * collection runs (SameDiff's and ND4J's off-heap arrays are freed only when the Java GC finds them unreachable;
 * DL4J-NOTES section 6). Our choice: with {@code -XX:+ExplicitGCInvokesConcurrent} (as {@code bin/grpoma} runs the
 * JVM) the call is a concurrent cycle that the caller used to wait for, 20-60 ms per step, while the next step's
 * rollout leaves the second core idle; without the flag it is a full stop-the-world collection, which pauses the
 * trainer's thread wherever it is called from. At most one collection is in flight: a request while one runs is
 * dropped (the running cycle, or the next step's, collects the same garbage).
 */
final class StepEndCollection implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService thread;
    private final Runnable collect;

    StepEndCollection() {
        this(System::gc);
    }

    /** A collection that runs {@code collect} instead of {@code System.gc()}; for tests. */
    StepEndCollection(Runnable collect) {
        this.collect = collect;
        this.thread = ChunkTasks.daemonPool(1, "grpoma-step-end-gc");
    }

    /**
     * Starts a collection unless one is running; returns at once.
     *
     * @return true if a collection was started, false if one was already in flight
     */
    boolean request() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        try {
            thread.execute(() -> {
                try {
                    collect.run();
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException rejected) {           // closed: collect on the caller's thread, as before
            running.set(false);
            collect.run();
        }
        return true;
    }

    /** Whether a collection is in flight; for tests. */
    boolean running() {
        return running.get();
    }

    /** Stops the thread after a collection in flight; later requests collect on the caller's thread. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
