package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class StepEndCollectionTest {

    @Test
    void collectsOnItsOwnThreadAtMostOnceAtATime() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        StepEndCollection c = new StepEndCollection(() -> {
            threads.add(Thread.currentThread());
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(c.request(), "the first request starts a collection");
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertTrue(c.running());
        assertFalse(c.request(), "a request while one runs is dropped");
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        c.awaitIdle();
        assertEquals(0, release.getCount(), "awaitIdle returned before the collection ended");
        assertFalse(c.running());
        assertTrue(c.request(), "after it ended a new one starts");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(2, threads.size());
        assertNotEquals(Thread.currentThread(), threads.get(0), "the caller does not run the collection");
        assertTrue(threads.get(0).isDaemon());
        c.close();
    }

    @Test
    void afterCloseTheCallerCollects() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        StepEndCollection c = new StepEndCollection(() -> threads.add(Thread.currentThread()));
        c.close();
        assertTrue(c.request());
        assertEquals(List.of(Thread.currentThread()), threads);
        assertFalse(c.running());
    }

    @Test
    void collectsOnlyAfterResidentMemoryGrewByTheThreshold() {
        AtomicLong rss = new AtomicLong(1000L << 20);
        AtomicInteger collections = new AtomicInteger();
        StepEndCollection c = new StepEndCollection(collections::incrementAndGet, rss::get, 64L << 20);
        assertEquals(0, c.started());
        assertTrue(c.request(), "the first request collects");
        c.awaitIdle();
        assertEquals(1, collections.get());
        assertEquals(1, c.started());
        rss.addAndGet(63L << 20);
        assertFalse(c.request(), "63 MB of growth is below the 64 MB threshold");
        rss.addAndGet(1L << 20);
        assertTrue(c.request(), "64 MB of growth collects");
        c.awaitIdle();
        assertEquals(2, collections.get());
        assertFalse(c.request(), "the mark moved to the resident size after that collection");
        rss.addAndGet(-(200L << 20));                          // memory given back lowers the mark
        assertFalse(c.request());
        rss.addAndGet(64L << 20);
        assertTrue(c.request(), "64 MB above the lowered mark collects");
        c.awaitIdle();
        assertEquals(3, collections.get());
        c.close();
    }

    @Test
    void zeroThresholdOrUnknownResidentSizeCollectsEveryStep() {
        AtomicInteger collections = new AtomicInteger();
        StepEndCollection every = new StepEndCollection(collections::incrementAndGet, () -> 1L << 30, 0);
        StepEndCollection unknown = new StepEndCollection(collections::incrementAndGet, () -> 0L, 64L << 20);
        for (int i = 0; i < 3; i++) {
            assertTrue(every.request());
            every.awaitIdle();
            assertTrue(unknown.request(), "a resident size of 0 (unreadable) collects every step");
            unknown.awaitIdle();
        }
        assertEquals(6, collections.get());
        every.close();
        unknown.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StepEndCollection(() -> { }, () -> 1L, -1));
        assertTrue(e.getMessage().contains("growthBytes = -1"), e.getMessage());
    }

    /**
     * The trainer's own trigger, counted (no timing: the trainer waits for the previous collection before each update,
     * so none is in flight at a step's end): growth 0 collects at every step's end; a threshold no step can reach
     * (Integer.MAX_VALUE MB, which must not overflow into a negative byte count) collects at the first step only.
     */
    @Test
    void aTrainerCollectsAfterEveryStepWithGrowthZeroAndOnlyAfterTheFirstWithAnUnreachableThreshold() {
        for (int growthMb : new int[] {0, Integer.MAX_VALUE}) {
            GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 3).build()).promptsPerStep(2)
                    .steps(3).seed(7).build();
            try (GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(Tiny.policy(10, 1)).tokenizer(Tiny.TOKENIZER)
                    .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config)
                    .collectionGrowthMb(growthMb).build()) {
                assertEquals(0, trainer.stepEndCollections());
                for (int step = 1; step <= 3; step++) {
                    trainer.step();
                    assertEquals(growthMb == 0 ? step : 1, trainer.stepEndCollections(),
                            "collections after step " + step + " with collectionGrowthMb " + growthMb);
                }
                trainer.awaitStepEndCollection();
            }
        }
    }

    @Test
    void theBuilderRejectsANegativeThreshold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GrpoMaTrainer.builder().collectionGrowthMb(-5));
        assertTrue(e.getMessage().contains("collectionGrowthMb = -5") && e.getMessage().contains("use >= 0"),
                e.getMessage());
    }
}
