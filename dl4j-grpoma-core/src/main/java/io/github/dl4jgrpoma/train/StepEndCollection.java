package io.github.dl4jgrpoma.train;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import org.bytedeco.javacpp.Pointer;

/**
 * A trainer's step-end {@code System.gc()} on a daemon thread of its own, so that the next step's rollout starts while
 * the collection runs (SameDiff's and ND4J's off-heap arrays are freed only when the Java GC finds them unreachable;
 * DL4J-NOTES section 6). Our choice: with {@code -XX:+ExplicitGCInvokesConcurrent} (as {@code bin/grpoma} runs the
 * JVM) the call is a concurrent cycle that the trainer used to wait for (21-32 ms in a small test, up to 0.14 s of a
 * d=128 bench-step step), while the rollout leaves the second core idle; without the flag it is a full stop-the-world
 * collection, which pauses the trainer's thread wherever it is called from. The trainer waits for it
 * ({@link #awaitIdle}) before the update, whose arrays would otherwise add to the previous step's garbage at the peak.
 * At most one collection is in flight. Called from the trainer's thread only; the collection thread writes only the
 * resident size after its collection, which {@link #request()} reads only once that collection has ended.
 *
 * <p>Growth-triggered (our choice, measured): a step requests a collection, and one starts only when the process's
 * resident memory has grown by at least {@code growthBytes} since the last collection ended (the first request always
 * collects). Young collections, which the JVM runs by itself, free most arrays of a step: a d=128 bench-step soak with
 * no step-end collection at all grew by about 1.2 MB of native memory per step, while each step-end cycle cost pauses
 * that made G1 grow its heap and, run beside the next rollout, slowed it. A graph (SameDiff) update, whose arrays are
 * freed only by collections, grows by hundreds of megabytes per step and is still collected after every step.
 * {@code growthBytes = 0}, or a platform where the resident size cannot be read, collects after every step.
 */
final class StepEndCollection implements AutoCloseable {
    /** Default growth of resident memory that triggers a collection: 64 MB. */
    static final long DEFAULT_GROWTH_BYTES = 64L << 20;

    private final ExecutorService thread;
    private final Runnable collect;
    private final LongSupplier residentBytes;
    private final long growthBytes;
    private volatile long residentAfterLast = -1;    // -1: no collection yet
    private Future<?> inFlight;
    private int started;

    StepEndCollection(long growthBytes) {
        this(System::gc, Pointer::physicalBytes, growthBytes);
    }

    /** A collection after every request that runs {@code collect} instead of {@code System.gc()}; for tests. */
    StepEndCollection(Runnable collect) {
        this(collect, () -> 0L, 0);
    }

    /**
     * A collection that runs {@code collect}, triggered when {@code residentBytes} (the process's resident size; 0 or
     * less when unknown) has grown by {@code growthBytes} since the last one ended.
     *
     * @throws IllegalArgumentException if {@code growthBytes < 0}
     */
    StepEndCollection(Runnable collect, LongSupplier residentBytes, long growthBytes) {
        if (growthBytes < 0) {
            throw new IllegalArgumentException("growthBytes = " + growthBytes + "; use >= 0 (0 collects after every step)");
        }
        this.collect = collect;
        this.residentBytes = residentBytes;
        this.growthBytes = growthBytes;
        this.thread = ChunkTasks.daemonPool(1, "grpoma-step-end-gc");
    }

    /**
     * Starts a collection unless one is running or resident memory has grown by less than the threshold since the
     * last collection ended; returns at once.
     *
     * @return true if a collection was started
     */
    boolean request() {
        if (running()) {
            return false;
        }
        if (growthBytes > 0 && residentAfterLast >= 0) {
            long now = residentBytes.getAsLong();
            if (now > 0 && now - residentAfterLast < growthBytes) {
                residentAfterLast = Math.min(residentAfterLast, now);      // memory given back lowers the mark
                return false;
            }
        }
        started++;
        Runnable task = () -> {
            collect.run();
            residentAfterLast = Math.max(0, residentBytes.getAsLong());
        };
        try {
            inFlight = thread.submit(task);
        } catch (RejectedExecutionException closed) {      // closed: collect on the caller's thread, as before
            inFlight = null;
            task.run();
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

    /** How many collections {@link #request()} has started. */
    int started() {
        return started;
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
