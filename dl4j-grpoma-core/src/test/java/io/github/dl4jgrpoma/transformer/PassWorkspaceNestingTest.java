package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link PassWorkspace} opened again while it is open (the same id re-entrantly, and another id that grows inside it):
 * the outer scope's arrays keep their values through the inner scopes and the outer scope's later allocations. (ND4J
 * counts a re-entrant scope's allocations into the outer cycle and updates the last cycle's size only when the outermost
 * scope closes, so a block grows at the next outermost open; the {@code isScopeActive()} guard in
 * {@link PassWorkspace#open} is never reached through {@code open} alone.)
 */
class PassWorkspaceNestingTest {
    private static final String ID = "pass-workspace-nesting-test";
    private static final String OTHER = "pass-workspace-nesting-test-other";

    private static void use(String id, long floats) {
        try (MemoryWorkspace ws = PassWorkspace.open(id)) {
            Nd4j.create(DataType.FLOAT, floats).assign(1);
        }
    }

    /** The outer array survives an inner scope of the same id and the outer scope's later allocations. */
    private static void nestedUse(long outerFloats, long innerFloats) {
        try (MemoryWorkspace outer = PassWorkspace.open(ID)) {
            INDArray a = Nd4j.create(DataType.FLOAT, outerFloats).assign(7);
            for (int i = 0; i < 2; i++) {            // twice: the second inner open follows an inner use beyond the block
                try (MemoryWorkspace inner = PassWorkspace.open(ID)) {
                    INDArray b = Nd4j.create(DataType.FLOAT, innerFloats).assign(3);
                    assertEquals(3.0 * innerFloats, b.sumNumber().doubleValue(), "the inner array");
                    assertEquals(7.0 * outerFloats, a.sumNumber().doubleValue(), "the outer array in inner scope " + i);
                }
            }
            INDArray c = Nd4j.create(DataType.FLOAT, outerFloats).assign(5);
            assertEquals(7.0 * outerFloats, a.sumNumber().doubleValue(), "the outer array after the inner scope closed");
            assertEquals(5.0 * outerFloats, c.sumNumber().doubleValue(), "a later outer array");
            try (MemoryWorkspace other = PassWorkspace.open(OTHER)) {   // another id, large enough to grow
                Nd4j.create(DataType.FLOAT, 4 * outerFloats).assign(2);
            }
            assertEquals(7.0 * outerFloats, a.sumNumber().doubleValue(), "the outer array after another id grew");
        }
    }

    @Test
    void aReentrantOpenOfTheSameIdKeepsTheOuterArrays() throws Exception {
        PassWorkspaceTest.onFreshThread(() -> {
            nestedUse(100_000, 50_000);               // first use: spilled
            nestedUse(100_000, 50_000);               // served by the block
            long block = PassWorkspace.size(ID);
            assertTrue(block > 0, "a block after two uses");
            nestedUse(300_000, 400_000);              // more than the block: the inner open must not destroy it
            nestedUse(300_000, 400_000);              // grown now
            assertTrue(PassWorkspace.size(ID) > block, "grown after the larger use: " + PassWorkspace.size(ID));
            use(ID, 10);
            nestedUse(100_000, 50_000);
        });
    }

    @Test
    void growingWhileAnotherWorkspaceIsOpenLeavesThatOneIntact() throws Exception {
        PassWorkspaceTest.onFreshThread(() -> {
            use(OTHER, 1000);
            use(OTHER, 1000);
            try (MemoryWorkspace outer = PassWorkspace.open(ID)) {
                INDArray a = Nd4j.create(DataType.FLOAT, 200_000).assign(7);
                for (int i = 1; i <= 4; i++) {        // OTHER grows inside ID's scope, each time by more than the factor
                    use(OTHER, 1000L << (3 * i));
                    assertEquals(7.0 * 200_000, a.sumNumber().doubleValue(), "ID's array after OTHER grew (" + i + ")");
                }
            }
        });
    }
}
