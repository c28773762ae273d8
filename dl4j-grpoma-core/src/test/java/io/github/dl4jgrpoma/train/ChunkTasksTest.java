package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.factory.Nd4j;

class ChunkTasksTest {
    @Test
    void collectsAfterEachTaskOnlyWhenAThreadRunsSeveral() {
        assertFalse(ChunkTasks.collectAfterEachTask(null, 1), "one task: the caller collects");
        assertTrue(ChunkTasks.collectAfterEachTask(null, 2), "no pool: tasks run one after another on this thread");
        ExecutorService pool = ChunkTasks.pool(2);
        try {
            assertFalse(ChunkTasks.collectAfterEachTask(pool, 2), "two tasks on two threads run at once");
            assertTrue(ChunkTasks.collectAfterEachTask(pool, 3), "a third task follows another on the same thread");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void runKeepsTaskOrderOnAPool() {
        ExecutorService pool = ChunkTasks.pool(2);
        try {
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2, () -> 3);
            assertEquals(List.of(1, 2, 3), ChunkTasks.run(pool, tasks, "test"));
            assertEquals(List.of(1, 2, 3), ChunkTasks.run(null, tasks, "test"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shuttingThePoolDownFreesEveryThreadsWorkspace() {
        ExecutorService pool = ChunkTasks.pool(2);
        WorkspaceConfiguration conf = WorkspaceConfiguration.builder().initialSize(0)
                .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP).build();
        Callable<MemoryWorkspace> useWorkspace = () -> {
            MemoryWorkspace ws;
            for (int i = 0; i < 2; i++) {                              // the second scope allocates the learned block
                try (MemoryWorkspace w = Nd4j.getWorkspaceManager().getAndActivateWorkspace(conf, "chunk-tasks-test")) {
                    Nd4j.create(DataType.FLOAT, 256, 256).addi(1.0);
                }
            }
            ws = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("chunk-tasks-test");
            Thread.sleep(200);                                         // both tasks run at once: one per thread
            return ws;
        };
        List<MemoryWorkspace> used = ChunkTasks.run(pool, List.of(useWorkspace, useWorkspace), "test");
        assertTrue(used.get(0) != used.get(1), "two threads, two workspaces");
        for (MemoryWorkspace ws : used) {
            assertTrue(ws.getCurrentSize() > 0, "the workspace holds its block: " + ws.getCurrentSize());
        }
        ChunkTasks.shutdownAndFreeWorkspaces(pool);
        assertTrue(pool.isTerminated(), "the pool's threads stopped");
        for (MemoryWorkspace ws : used) {
            assertEquals(0, ws.getCurrentSize(), "the workspace's block was freed");
        }
    }
}
