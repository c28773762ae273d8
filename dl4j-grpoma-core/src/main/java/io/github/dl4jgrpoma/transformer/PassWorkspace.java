package io.github.dl4jgrpoma.transformer;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The per-thread ND4J workspaces of the transformer's INDArray passes (KV-cache decoding, {@link TransformerPass}): a
 * block that learns its size on the first use, is reused afterwards and grows (reallocates) when a later use needs
 * more. Arrays made inside are valid until the scope closes; what must outlive it is {@code detach()}ed.
 *
 * <p>Why (measured, DL4J M2.1 on this project's machines): every freshly allocated multi-megabyte array faults its pages
 * in on first write; a matrix product into a fresh {@code [64, 96, 96]} array took 9.8 ms, into a reused one 0.7 ms.
 */
final class PassWorkspace {
    private PassWorkspace() {
    }

    /** Opens (activates) the calling thread's workspace {@code id}; close it to release its arrays for reuse. */
    static MemoryWorkspace open(String id) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(config(), id);
    }

    private static WorkspaceConfiguration config() {
        return WorkspaceConfiguration.builder().initialSize(0).overallocationLimit(0.2)
                .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
                .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE).build();
    }
}
