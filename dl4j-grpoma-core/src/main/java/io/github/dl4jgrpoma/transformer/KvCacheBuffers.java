package io.github.dl4jgrpoma.transformer;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The off-heap memory of {@link KvCacheState}'s key and value caches, reused from rollout to rollout. A rollout
 * creates a few states of several megabytes per layer (prompts, their K forks, the answers' fork, compactions); a fresh
 * ND4J array of that size costs more than the decoding step that fills it (the kernel zeroes and maps every page on
 * first write: about 10 ms for a multi-megabyte array here, DL4J-NOTES "mmul into a fresh array"), and it stays
 * allocated until the Java GC finds its owner unreachable. Here a closed state hands its buffers back and the next state
 * takes the smallest idle buffer that is large enough, as a c-ordered view of its first elements.
 *
 * <p>A taken buffer holds whatever its last state wrote; {@link KvCacheState} writes every slot it hands out (copies,
 * or zeros where nothing was consumed), so decoding is bit-identical to fresh arrays. Thread-safe: the decoder is
 * shared by the threads of a rollout executor. Our choice: at most {@value #MAX_IDLE} idle buffers; beyond that the
 * smallest is freed at once.
 */
final class KvCacheBuffers {
    static final int MAX_IDLE = 48;
    private final List<INDArray> idle = new ArrayList<>();

    /**
     * A one-dimensional buffer of at least {@code length} elements of {@code type}: the smallest idle one that is large
     * enough, else a new one of exactly that length. Nothing here keeps a reference to it: a buffer never given back is
     * freed by the GC like any array.
     */
    synchronized INDArray take(DataType type, long length) {
        int best = -1;
        for (int i = 0; i < idle.size(); i++) {
            INDArray b = idle.get(i);
            if (b.dataType() == type && b.length() >= length && (best < 0 || b.length() < idle.get(best).length())) {
                best = i;
            }
        }
        return best < 0 ? Nd4j.create(type, length) : idle.remove(best);
    }

    /** The c-ordered view of shape {@code shape} over the first elements of {@code buffer} (from {@link #take}). */
    static INDArray view(INDArray buffer, long... shape) {
        long length = 1;
        for (long s : shape) {
            length *= s;
        }
        return (buffer.length() == length ? buffer : buffer.get(interval(0, length))).reshape('c', shape);
    }

    /** Gives buffers from {@link #take} back (nulls are skipped); neither they nor views of them may be used afterwards. */
    synchronized void give(INDArray... buffers) {
        for (INDArray b : buffers) {
            if (b != null) {
                idle.add(b);
            }
        }
        while (idle.size() > MAX_IDLE) {
            int smallest = 0;
            for (int i = 1; i < idle.size(); i++) {
                if (idle.get(i).length() < idle.get(smallest).length()) {
                    smallest = i;
                }
            }
            INDArray dropped = idle.remove(smallest);
            if (dropped.closeable()) {
                dropped.close();
            }
        }
    }

    /** Idle buffers (for tests). */
    synchronized int idleCount() {
        return idle.size();
    }
}
