package io.github.dl4jgrpoma.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * A trainer's step-end {@code System.gc()} on a daemon thread of its own, so that the next step's rollout starts while
 * the collection runs (SameDiff's and ND4J's off-heap arrays are freed only when the Java GC finds them unreachable;
 * DL4J-NOTES section 6). Our choice: with {@code -XX:+ExplicitGCInvokesConcurrent} (as {@code bin/grpoma} runs the
 * JVM) the call is a concurrent cycle that the trainer used to wait for (21-32 ms in a small test, up to 0.14 s of a
 * d=128 bench-step step), while the rollout leaves the second core idle; without the flag it is a full stop-the-world collection, which pauses the trainer's thread
 * wherever it is called from. The trainer waits for it ({@link #awaitIdle}) before the update, whose arrays would
 * otherwise add to the previous step's garbage at the peak. At most one collection is in flight. Used from the
 * trainer's thread only.
 */
final class StepEndCollection implements AutoCloseable {
    private final ExecutorService thread;
    private final Runnable collect;
    private Future<?> inFlight;

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
        if (running()) {
            return false;
        }
        try {
            inFlight = thread.submit(collect);
        } catch (RejectedExecutionException closed) {      // closed: collect on the caller's thread, as before
            inFlight = null;
            collect.run();
        }
        return true;
    }

    /** Waits until the collection in flight, if any, has ended. */
    void awaitIdle() {
        Future<?> f = inFlight;
        if (f == null) {
            return;
        }
        try {
            f.get();
            inFlight = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            inFlight = null;                   // reported once; the next step starts a new collection
            throw new IllegalStateException("the step-end collection failed: " + e.getCause(), e.getCause());
        }
    }

    /** Whether a collection is in flight. */
    boolean running() {
        return inFlight != null && !inFlight.isDone();
    }

    /** Stops the thread after a collection in flight; later requests collect on the caller's thread. */
    @Override
    public void close() {
        thread.shutdown();
    }
}
