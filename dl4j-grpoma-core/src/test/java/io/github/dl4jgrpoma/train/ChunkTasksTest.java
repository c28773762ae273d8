package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

import org.junit.jupiter.api.Test;

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
}
