package io.github.dl4jgrpoma.graph;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;

/**
 * Gives the free memory of the C heap back to the operating system ({@code malloc_trim(0)} of glibc, through JNA), where
 * ND4J's off-heap arrays and workspaces live. Elsewhere (no glibc: macOS, Windows, musl; or JNA or its native part
 * missing) it does nothing and never throws.
 *
 * <p>Why (measured, bench-step d=256 with {@code bin/grpoma}'s malloc settings): glibc keeps freed memory resident to
 * serve later allocations, and a freed block is reused only by allocations that fit into it. When an ND4J workspace
 * grows, its old block (or the arrays its first use spilled) is freed just before the larger one is allocated, which
 * then cannot reuse it: both stay resident. A trainer's per-thread workspaces (up to 200 MB each) held twice their size
 * that way, and the next trainer in the same process (bench-step, study) started on top of the last one's freed
 * memory: after closing a d=256 trainer, {@code malloc_trim(0)} took the process from 1,356 to 437 MB.
 * Our choice: trim at those points (a workspace growing, a trainer closing) and before each of the trainer's step-end
 * collections (every few steps), not after every step, since memory given back is faulted in again when it is next used.
 */
public final class NativeHeap {
    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);
    private static final Optional<Function> MALLOC_TRIM = lookup();

    private NativeHeap() {
    }

    /**
     * Returns the C heap's free memory to the operating system.
     *
     * @return true if glibc released memory, false if there was none to release or trimming is unavailable here
     */
    public static boolean trim() {
        // no lambda over Function: linking one would need JNA's classes even when lookup found none
        return MALLOC_TRIM.isPresent() && MALLOC_TRIM.get().invokeInt(new Object[] {0L}) == 1;
    }

    /** Whether {@link #trim()} can release memory on this platform (glibc's {@code malloc_trim} was found). */
    public static boolean available() {
        return MALLOC_TRIM.isPresent();
    }

    private static Optional<Function> lookup() {
        try {
            return Optional.of(NativeLibrary.getInstance("c").getFunction("malloc_trim"));
        } catch (LinkageError | RuntimeException e) {       // no glibc, JNA without its native part, or no JNA at all
            LOG.debug("malloc_trim is not available here ({}); native memory is not trimmed", e.toString());
            return Optional.empty();
        }
    }
}
