package io.github.dl4jgrpoma.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import io.github.dl4jgrpoma.graph.NativeHeap;

/**
 * A trainer's step-end {@code System.gc()} on a daemon thread of its own, so that the next step's rollout starts while
 * the collection runs (SameDiff's and ND4J's off-heap arrays are freed only when the Java GC finds them unreachable;
 * DL4J-NOTES section 6). Our choice: with {@code -XX:+ExplicitGCInvokesConcurrent} (as {@code bin/grpoma} runs the
 * JVM) the call is a concurrent cycle that the trainer used to wait for (21-32 ms in a small test, up to 0.14 s of a
 * d=128 bench-step step), while the rollout leaves the second core idle; without the flag it is a full stop-the-world
 * collection, which pauses the trainer's thread wherever it is called from. The trainer waits for it
 * ({@link #awaitIdle}) before the update, whose arrays would otherwise add to the previous step's garbage at the peak.
 * At most one collection is in flight. Used from the trainer's thread only.
 *
 * <p>Every {@code interval} steps (our choice, measured): a step requests a collection, and one starts when
 * {@code interval} requests have come since the last one started (the first request always collects). Young
 * collections, which the JVM runs by itself, free most arrays of a model-backprop step: a d=128 bench-step soak with no
 * step-end collection at all grew by 1-2 MB per step, while a cycle per step cost pauses that made G1 grow its
 * heap and, run beside the next rollout, slowed it. Triggering on the growth of resident memory instead ratcheted:
 * freed native memory stays resident and is reused, so RSS grows only once the garbage exceeds what the previous
 * collection freed, and each collection then frees (and leaves resident) the threshold more than the one before
 * (a 64 MB threshold: 872, 951, 980, 1017 MB at steps 100-400 of a soak).
 */
final class StepEndCollection implements AutoCloseable {
    private final ExecutorService thread;
    private final Runnable collect;
    private final int interval;
    private int sinceLast = -1;                       // requests since the last collection started; -1: none yet
    private Future<?> inFlight;
    private int started;

    /**
     * Every {@code interval} steps: {@link NativeHeap#trim()}, then {@code System.gc()}. The trim gives back to the
     * system what the previous collection's freed arrays left free in the C heap (long since freed by then), so that
     * the resident memory does not settle at the high-water mark of every step's garbage (our choice, measured: without
     * it the native part of a d=128 bench-step soak's RSS crept from 485 to 520 MB over its first 500 steps after the
     * workspaces' own trims, a slope of 6 MB per 100 steps; memory given back is faulted in again when reused).
     */
    StepEndCollection(int interval) {
        this(() -> {
            NativeHeap.trim();
            System.gc();
        }, interval);
    }

    /** A collection after every request that runs {@code collect} instead of {@code System.gc()}; for tests. */
    StepEndCollection(Runnable collect) {
        this(collect, 1);
    }

    /**
     * A collection that runs {@code collect} every {@code interval} requests.
     *
     * @throws IllegalArgumentException if {@code interval < 1}
     */
    StepEndCollection(Runnable collect, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("interval = " + interval + "; use >= 1 (1 collects after every step)");
        }
        this.collect = collect;
        this.interval = interval;
        this.thread = ChunkTasks.daemonPool(1, "grpoma-step-end-gc");
    }

    /**
     * Starts a collection if {@code interval} requests have come since the last one started (or this is the first),
     * unless one is still running, in which case the next request tries again; returns at once.
     *
     * @return true if a collection was started
     */
    boolean request() {
        if (sinceLast >= 0 && sinceLast + 1 < interval) {
            sinceLast++;
            return false;
        }
        if (running()) {
            return false;
        }
        sinceLast = 0;
        started++;
        try {
            inFlight = thread.submit(collect);
        } catch (RejectedExecutionException closed) {      // closed: collect on the caller's thread, as before
            inFlight = null;
            collect.run();
        }
        return true;
    }

    /** How many collections {@link #request()} has started. */
    int started() {
        return started;
    }

    /** Every how many requests a collection starts. */
    int interval() {
        return interval;
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
