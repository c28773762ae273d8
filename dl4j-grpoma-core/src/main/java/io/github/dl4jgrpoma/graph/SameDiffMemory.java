package io.github.dl4jgrpoma.graph;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;

/**
 * Drops the references a SameDiff graph keeps to the arrays of its last execution, so that the Java GC can free
 * them (their memory is off-heap).
 *
 * <p>Why (measured, DL4J 1.0.0-M2.1): after {@code output} or {@code calculateGradients} every op of the graph
 * still holds its input and output arrays, and the per-thread {@code InferenceSession} holds the node values and
 * an array cache of up to a quarter of JavaCPP's {@code maxBytes}. They are replaced only during the next
 * execution, so the arrays of two executions are alive at once: in the d=128, 128-row GRPO-MA update of
 * {@code bench-step} the peak RSS went from 2.8 GB after the first step to 4.9 GB after the second;
 * releasing after each step kept it at 2.8 GB. Our choice: release after each step rather than keep the cache,
 * whose reuse does not pay for holding a whole step's arrays.
 */
public final class SameDiffMemory {
    private SameDiffMemory() {
    }

    /**
     * Clears the arrays held by the ops and sessions of {@code sd} and of its gradient function ({@code "grad"}),
     * if it has one. Call it only when no thread is executing the graph. Variables, constants and the graph
     * itself are untouched; the next execution creates fresh sessions.
     *
     * @param sd a graph, or null (then nothing happens)
     */
    public static void release(SameDiff sd) {
        if (sd == null) {
            return;
        }
        releaseOne(sd.getFunction("grad"));
        releaseOne(sd);
    }

    /**
     * Drops the calling thread's session of {@code sd} and of its gradient function (the node values of the
     * thread's last execution), leaving other threads' sessions and the ops alone, so it is safe while other
     * threads execute the graph. The arrays become garbage; they are freed when the Java GC runs.
     *
     * @param sd a graph, or null (then nothing happens)
     */
    public static void releaseThisThread(SameDiff sd) {
        if (sd == null) {
            return;
        }
        long id = Thread.currentThread().getId();
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            grad.getSessions().remove(id);
        }
        sd.getSessions().remove(id);
    }

    private static void releaseOne(SameDiff sd) {
        if (sd == null) {
            return;
        }
        for (SameDiffOp op : sd.getOps().values()) {
            if (op.getOp() != null) {
                op.getOp().clearArrays();
            }
        }
        sd.getSessions().clear();
    }
}
