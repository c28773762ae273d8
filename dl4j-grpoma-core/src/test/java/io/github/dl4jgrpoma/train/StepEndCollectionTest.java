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
    void collectsOnTheFirstRequestThenEveryIntervalRequests() {
        AtomicInteger collections = new AtomicInteger();
        StepEndCollection c = new StepEndCollection(collections::incrementAndGet, 3);
        StringBuilder started = new StringBuilder();
        for (int step = 1; step <= 10; step++) {
            started.append(c.request() ? 'C' : '.');
            c.awaitIdle();
        }
        assertEquals("C..C..C..C", started.toString());
        assertEquals(4, collections.get());
        assertEquals(4, c.started());
        assertEquals(3, c.interval());
        c.close();
    }

    @Test
    void aDueCollectionStillRunningIsRetriedAtTheNextRequest() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger collections = new AtomicInteger();
        StepEndCollection c = new StepEndCollection(() -> {
            collections.incrementAndGet();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, 2);
        assertTrue(c.request());
        assertFalse(c.request(), "not due");
        assertFalse(c.request(), "due, but the first is still running");
        release.countDown();
        c.awaitIdle();
        assertTrue(c.request(), "due and idle: starts");
        c.awaitIdle();
        assertEquals(2, collections.get());
        c.close();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new StepEndCollection(() -> { }, 0));
        assertTrue(e.getMessage().contains("interval = 0"), e.getMessage());
    }

    /**
     * The trainer's own steps, counted (no timing: the trainer waits for the previous collection before each update,
     * so none is still running when a collection is due): interval 1 collects at every step's end, 2 at steps 1 and 3,
     * Integer.MAX_VALUE at the first step only.
     */
    @Test
    void aTrainerStartsItsCollectionsAtTheStepsItsIntervalNames() {
        for (int interval : new int[] {1, 2, Integer.MAX_VALUE}) {
            GrpoMaConfig config = GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 3).build()).promptsPerStep(2)
                    .steps(3).seed(7).build();
            try (GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(Tiny.policy(10, 1)).tokenizer(Tiny.TOKENIZER)
                    .promptSource(Tiny.digits()).reward(Tiny.parityReward()).config(config)
                    .collectionInterval(interval).build()) {
                StringBuilder started = new StringBuilder();
                int before = 0;
                for (int step = 1; step <= 3; step++) {
                    trainer.step();
                    started.append(trainer.stepEndCollections() > before ? 'C' : '.');
                    before = trainer.stepEndCollections();
                }
                trainer.awaitStepEndCollection();
                assertEquals(interval == 1 ? "CCC" : interval == 2 ? "C.C" : "C..", started.toString(),
                        "collections with collectionInterval " + interval);
            }
        }
    }

    @Test
    void theBuilderRejectsANonPositiveInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GrpoMaTrainer.builder().collectionInterval(0));
        assertTrue(e.getMessage().contains("collectionInterval = 0") && e.getMessage().contains("use >= 1"),
                e.getMessage());
    }
}
