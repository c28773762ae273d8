package io.github.dl4jgrpoma.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.NativeHeap;

/** Runs the per-chunk tasks of an update, on a pool or on the caller's thread, results in task order. */
final class ChunkTasks {
    private ChunkTasks() {
    }

    /**
     * A pool of {@code threads} daemon threads that exit after {@value #IDLE_SECONDS} s idle, or null for
     * {@code threads <= 1}. Our choice: long enough that a slow rollout between two updates does not cost the threads
     * (and with them the workspaces of the model's own backward pass: a fresh thread's first pass ran about 2x slower
     * in a newcomer's measurement), short enough that a process building trainer after trainer without
     * {@code GrpoMaTrainer.close()} does not keep every one's threads.
     */
    static final int IDLE_SECONDS = 300;

    static ExecutorService pool(int threads) {
        if (threads <= 1) {
            return null;
        }
        return daemonPool(threads, "grpo-ma-update");
    }

    /**
     * {@code threads} daemon threads named {@code name} that live from task to task and exit after
     * {@link #IDLE_SECONDS} idle (the update's, the rollout's and the step-end collection's pools).
     */
    static ThreadPoolExecutor daemonPool(int threads, String name) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /**
     * Frees the ND4J workspaces of every live thread of {@code pool} (the model pass's per-thread blocks, tens to hundreds
     * of megabytes each) and shuts the pool down: without this they stay allocated until the GC collects the exited
     * threads, so a process that builds one trainer after another (bench-step) held two trainers' workspaces at once.
     * Then gives the freed memory back to the system ({@link NativeHeap#trim()}), which glibc otherwise keeps resident
     * for allocations that fit into it. Our choice: waits at most 10 s for busy threads.
     */
    static void shutdownAndFreeWorkspaces(ExecutorService pool) {
        if (!(pool instanceof ThreadPoolExecutor p)) {
            if (pool != null) {
                pool.shutdownNow();
            }
            return;
        }
        int live = p.getPoolSize();
        CountDownLatch all = new CountDownLatch(live);
        for (int i = 0; i < live; i++) {
            p.execute(() -> {
                all.countDown();
                try {
                    all.await(10, TimeUnit.SECONDS);  // every task holds its thread until all started: one per thread
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            });
        }
        p.shutdown();
        try {
            if (!p.awaitTermination(10, TimeUnit.SECONDS)) {
                p.shutdownNow();
            }
        } catch (InterruptedException e) {
            p.shutdownNow();
            Thread.currentThread().interrupt();
        }
        NativeHeap.trim();                    // the freed blocks back to the system, not kept for the next trainer's
    }

    /**
     * Whether each task should end with {@code System.gc()} (after dropping its SameDiff session) so that a thread holds
     * the arrays of one task at a time: true when some thread runs more than one of the {@code tasks} (no pool, or more
     * tasks than pool threads). Otherwise every task runs at once on its own thread, a collection after each one frees
     * nothing the others still need, and one collection after all of them frees the same memory. Our choice, for speed:
     * each {@code System.gc()} is a full, stop-the-world collection (45-380 ms per call on the shared 2-core machine,
     * d=128 trainer), and a d=128 T4A4 step made five of them, three in the update's two chunks.
     */
    static boolean collectAfterEachTask(ExecutorService pool, int tasks) {
        if (tasks <= 1) {
            return false;
        }
        return !(pool instanceof ThreadPoolExecutor p) || tasks > p.getMaximumPoolSize();
    }

    /**
     * The results of all tasks in order; runs them on {@code pool} (concurrently) or, when it is null or there is
     * one task, one after another on this thread. A task's runtime exception is rethrown as is.
     */
    static <T> List<T> run(ExecutorService pool, List<Callable<T>> tasks, String what) {
        List<T> out = new ArrayList<>(tasks.size());
        try {
            if (pool == null || tasks.size() == 1) {
                for (Callable<T> t : tasks) {
                    out.add(t.call());
                }
            } else {
                for (Future<T> f : pool.invokeAll(tasks)) {
                    out.add(f.get());
                }
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed", e);
        }
    }
}
