package io.github.dl4jgrpoma.transformer;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.graph.NativeHeap;

/**
 * The per-thread ND4J workspaces of the transformer's INDArray passes (KV-cache decoding, {@link TransformerPass}): one
 * reused block per thread and id. Arrays made inside are valid until the scope closes; what must outlive it is
 * {@code detach()}ed.
 *
 * <p>Why a workspace (measured, DL4J M2.1 on this project's machines): every freshly allocated multi-megabyte array
 * faults its pages in on first write; a matrix product into a fresh {@code [64, 96, 96]} array took 9.8 ms, into a
 * reused one 0.7 ms.
 *
 * <p>How it grows (our choice): a use that needs more than the block spills its excess into separate allocations
 * (the first use spills everything), and the next {@link #open} frees the block and the spills, gives the freed memory
 * back to the operating system ({@link NativeHeap#trim()}) and allocates a block of {@code max(need, GROWTH x block)}
 * bytes. ND4J's own learning ({@code LearningPolicy.FIRST_LOOP}) allocates the new block right after freeing the
 * spills, which glibc cannot reuse for it, so both stayed resident (the update's per-thread blocks of up to 200 MB at
 * d=256 counted twice in the peak RSS), and after its first over-allocation it reallocated to exactly the largest use
 * so far: a decoding step needs a little more with every token (attention over one more slot), so the block was
 * freed, allocated and zeroed again at almost every step of a rollout.
 */
final class PassWorkspace {
    /** Growth factor of a block that was too small (our choice: few reallocations, at most 25 % unused). */
    static final double GROWTH = 1.25;

    private PassWorkspace() {
    }

    /** Opens (activates) the calling thread's workspace {@code id}; close it to release its arrays for reuse. */
    static MemoryWorkspace open(String id) {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        if (!manager.checkIfWorkspaceExists(id)) {
            return manager.getAndActivateWorkspace(config(0), id);
        }
        MemoryWorkspace ws = manager.getWorkspaceForCurrentThread(id);
        long need = ws.getLastCycleAllocations();           // bytes of the last use, spills included
        long size = ws.getCurrentSize();
        if (need <= size || ws.isScopeActive()) {
            return manager.getAndActivateWorkspace(ws.getWorkspaceConfiguration(), id);
        }
        manager.destroyWorkspace(ws);                        // frees the block and the last use's spills
        NativeHeap.trim();
        return manager.getAndActivateWorkspace(config(Math.max(need, (long) (GROWTH * size))), id);
    }

    /** The current block size of the calling thread's workspace {@code id} in bytes, 0 if it has none; for tests. */
    static long size(String id) {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        return manager.checkIfWorkspaceExists(id) ? manager.getWorkspaceForCurrentThread(id).getCurrentSize() : 0;
    }

    private static WorkspaceConfiguration config(long bytes) {
        return WorkspaceConfiguration.builder().initialSize(bytes).policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.NONE).policyMirroring(MirroringPolicy.FULL)
                .policySpill(SpillPolicy.EXTERNAL).build();
    }
}
