package io.github.dl4jgrpoma.transformer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The off-heap memory of {@link KvCacheState}'s key and value caches, reused from rollout to rollout. A rollout
 * creates a few states of several megabytes per layer (prompts, their K forks, the answers' fork, compactions); a fresh
 * ND4J array of that size costs page faults and zeroing on first write (DL4J-NOTES "mmul into a fresh array"), and it
 * stays allocated until the Java GC finds its owner unreachable. Here a closed state hands its arrays back and the next
 * state of the same shape takes them: the same c-ordered arrays a fresh allocation would give, not views.
 *
 * <p>A taken array holds whatever its last state wrote; {@link KvCacheState} writes every slot it hands out (copies,
 * or zeros where nothing was consumed), so decoding is bit-identical to fresh arrays. Thread-safe: the decoder is
 * shared by the threads of a rollout executor. Our choice: at most {@value #MAX_IDLE} idle arrays; beyond that the
 * longest-idle shape's arrays are freed at once.
 */
final class KvCacheBuffers {
    static final int MAX_IDLE = 48;
    private final Map<List<Object>, Deque<INDArray>> idle = new LinkedHashMap<>();
    private int idleCount;

    /**
     * An array of {@code shape} and {@code type}: an idle one of exactly that shape, else a new (zeroed) one. Nothing
     * here keeps a reference to it: an array never given back is freed by the GC like any other.
     */
    synchronized INDArray take(DataType type, long... shape) {
        Deque<INDArray> same = idle.get(key(type, shape));
        if (same == null || same.isEmpty()) {
            return Nd4j.create(type, shape);
        }
        idleCount--;
        return same.pop();
    }

    /** Gives arrays from {@link #take} back (nulls are skipped); they must not be used afterwards. */
    synchronized void give(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null) {
                List<Object> k = key(a.dataType(), a.shape());
                Deque<INDArray> same = idle.remove(k);            // re-inserted last: the map runs oldest shape first
                same = same == null ? new ArrayDeque<>() : same;
                same.push(a);
                idle.put(k, same);
                idleCount++;
            }
        }
        while (idleCount > MAX_IDLE) {
            Map.Entry<List<Object>, Deque<INDArray>> oldest = idle.entrySet().iterator().next();
            INDArray dropped = oldest.getValue().pollLast();
            if (oldest.getValue().isEmpty()) {
                idle.remove(oldest.getKey());
            }
            idleCount--;
            if (dropped.closeable()) {
                dropped.close();
            }
        }
    }

    /** Idle arrays (for tests). */
    synchronized int idleCount() {
        return idleCount;
    }

    private static List<Object> key(DataType type, long[] shape) {
        List<Object> k = new ArrayList<>(shape.length + 1);
        k.add(type);
        for (long s : shape) {
            k.add(s);
        }
        return k;
    }

    @Override
    public synchronized String toString() {
        StringBuilder b = new StringBuilder("KvCacheBuffers[");
        idle.forEach((k, v) -> b.append(Arrays.toString(k.toArray())).append(" x").append(v.size()).append(' '));
        return b.append(']').toString();
    }
}
