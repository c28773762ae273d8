package io.github.dl4jgrpoma.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link PassWorkspace}'s growth: sized by the first use, kept while uses fit, grown by a factor. */
class PassWorkspaceTest {
    private static final String ID = "pass-workspace-test";

    /**
     * One use of the workspace that allocates {@code floats} floats; returns whether the array was in the block (a
     * spilled allocation leaves the block's offset at 0).
     */
    private static boolean use(long floats) {
        try (MemoryWorkspace ws = PassWorkspace.open(ID)) {
            INDArray a = Nd4j.create(DataType.FLOAT, floats);
            boolean inBlock = a.isAttached() && ws.getCurrentOffset() > 0;
            assertEquals(floats, a.assign(1).sumNumber().longValue());
            return inBlock;
        }
    }

    /** Runs on a fresh thread: workspaces are per thread, and other tests' must not interfere. */
    static void onFreshThread(Runnable r) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void theBlockIsSizedByTheFirstUseAndKeptWhileUsesFit() throws Exception {
        onFreshThread(() -> {
            assertEquals(0, PassWorkspace.size(ID));
            assertFalse(use(250_000), "~1 MB: spilled, the block does not exist yet");
            assertEquals(0, PassWorkspace.size(ID), "no block before the second use");
            assertTrue(use(250_000), "the second use is served by the block");
            long block = PassWorkspace.size(ID);
            assertTrue(block >= 1_000_000 && block < 1_100_000, "block sized by the first use: " + block);
            for (int i = 0; i < 5; i++) {
                assertTrue(use(200_000 + 10_000 * i));
                assertEquals(block, PassWorkspace.size(ID), "a use that fits does not reallocate");
            }
        });
    }

    @Test
    void aBlockThatIsTooSmallGrowsGeometricallyNotByTheExcess() throws Exception {
        onFreshThread(() -> {
            use(250_000);
            use(250_000);
            long block = PassWorkspace.size(ID);
            assertFalse(use(260_000), "a use beyond the block spills");
            assertTrue(use(260_000));
            long grown = PassWorkspace.size(ID);
            assertEquals((long) (PassWorkspace.GROWTH * block), grown, "grown by the factor, not to the 4 % excess");
            for (int i = 0; i < 5; i++) {                        // +4 % each: served by the grown block, no reallocation
                assertTrue(use(260_000 + 10_000 * i));
                assertEquals(grown, PassWorkspace.size(ID));
            }
            assertFalse(use(2_000_000), "a jump beyond the factor spills once");
            assertTrue(use(2_000_000), "then the block is sized to the need");
            assertTrue(PassWorkspace.size(ID) >= 8_000_000);
        });
    }
}
