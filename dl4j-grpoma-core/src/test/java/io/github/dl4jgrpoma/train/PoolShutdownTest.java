package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Edge cases of ChunkTasks.shutdownAndFreeWorkspaces and the rollout executor's long-lived pool. */
class PoolShutdownTest {

    @Test
    void shutdownOfAnUnusedPoolOrTwiceIsQuietAndQuick() {
        ExecutorService pool = ChunkTasks.pool(2);       // no thread started yet
        long t0 = System.nanoTime();
        ChunkTasks.shutdownAndFreeWorkspaces(pool);
        ChunkTasks.shutdownAndFreeWorkspaces(pool);      // twice
        ChunkTasks.shutdownAndFreeWorkspaces(null);
        assertTrue(pool.isTerminated());
        assertTrue((System.nanoTime() - t0) / 1e9 < 2, "quick");
    }

    @Test
    void aTaskStillRunningFinishesAndThePoolStops() throws Exception {
        ExecutorService pool = ChunkTasks.pool(2);
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Future<?> f = pool.submit(() -> {
            started.countDown();
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            finished.set(true);
        });
        started.await();
        long t0 = System.nanoTime();
        ChunkTasks.shutdownAndFreeWorkspaces(pool);
        double s = (System.nanoTime() - t0) / 1e9;
        assertTrue(pool.isTerminated(), "terminated");
        assertTrue(finished.get(), "the running task was not interrupted");
        assertTrue(s < 5, "waited " + s + " s");
        f.get(1, TimeUnit.SECONDS);
    }

    @Test
    void closingTheTrainerStopsTheRolloutThreads() throws Exception {
        long before = rolloutThreads();                        // other tests' trainers in this JVM may keep theirs
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 3).build()).promptsPerStep(2)
                .seed(1).build();
        try (GrpoMaTrainer t = GrpoMaTrainer.builder().policy(Tiny.policy(10, 3)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config)
                .rolloutExecutor(RolloutExecutorFactory.threadPool(2)).build()) {
            t.step();
            assertTrue(rolloutThreads() >= before + 2, "the pool's threads run: " + rolloutThreads());
        }
        Thread.sleep(500);
        assertTrue(rolloutThreads() <= before, "GrpoMaTrainer.close() leaves the rollout pool's threads (and their ND4J"
                + " workspaces) alive for ChunkTasks.IDLE_SECONDS");
    }

    @Test
    void closingTheTrainerStopsTheStepEndCollectionThread() throws Exception {
        long before = threads("grpoma-step-end-gc");           // other tests' unclosed trainers may keep theirs
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 3).build()).promptsPerStep(2)
                .seed(1).build();
        GrpoMaTrainer t = GrpoMaTrainer.builder().policy(Tiny.policy(10, 3)).tokenizer(Tiny.TOKENIZER)
                .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config).build();
        t.step();
        t.step();                                              // waits for the first step's collection, starts another
        assertTrue(threads("grpoma-step-end-gc") == before + 1, "one collection thread per trainer: "
                + threads("grpoma-step-end-gc"));
        t.close();
        t.close();                                             // twice does nothing
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads("grpoma-step-end-gc") > before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(threads("grpoma-step-end-gc") <= before, "GrpoMaTrainer.close() leaves the step-end collection's"
                + " thread alive for ChunkTasks.IDLE_SECONDS");
        assertThrows(IllegalStateException.class, t::step);
    }

    private static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(th -> th.getName().equals(name)).count();
    }

    private static long rolloutThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(th -> th.getName().startsWith("grpoma-rollout-")).count();      // lane i: grpoma-rollout-i
    }
}
