package io.github.dl4jgrpoma.reward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores all answers of a step on a bounded thread pool, every reward call with a wall-clock timeout.
 *
 * <p>Each (answer, reward term) pair is one call on the pool of {@code threads} daemon threads. A call that
 * runs longer than {@code timeoutPerAnswer} (measured from when it starts, not from when it was queued) is
 * interrupted and fails with a {@link RewardTimeoutException}; exceptions and non-finite scores fail as
 * usual. The failures then go through a {@link RewardScorer} with the configured {@link RewardErrorPolicy},
 * in row-major order, so the result (totals, per-reward scores, failure counts, the FAIL exception) is the
 * same as the serial scorer's whatever the thread timing, except that a timeout is a failure here.
 *
 * <p>A reward that ignores the interrupt keeps its thread; the pool then grows by one thread so its capacity
 * stays {@code threads}, and shrinks back when the call returns. More than {@code 4 x threads} such stuck
 * calls at once is an error ({@link IllegalStateException}), so a broken reward cannot eat the machine or hang
 * training. Idle threads end after 30 s.
 *
 * <p>Thread-safe: concurrent callers (the shards of a thread-pool rollout executor, such as the trainer's default
 * {@code RolloutExecutorFactory.auto()} on a step of two or more shards) share the pool of {@code threads} threads,
 * and each call's timeouts count from when its own calls start.
 */
public final class ParallelRewardScorer implements BatchRewardScorer {
    private static final Logger LOG = LoggerFactory.getLogger(ParallelRewardScorer.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final CompositeReward composite;
    private final RewardErrorPolicy policy;
    private final int threads;
    private final Duration timeout;
    private final ThreadPoolExecutor pool;
    private final Object resizeLock = new Object();
    private int stuck;

    /**
     * @param composite        the rewards and weights
     * @param policy           what a failure or timeout does (fail, or substitute and count)
     * @param threads          pool size, {@code >= 1}
     * @param timeoutPerAnswer wall-clock limit of one reward call on one answer, positive
     * @throws IllegalArgumentException naming the bad argument
     */
    public ParallelRewardScorer(CompositeReward composite, RewardErrorPolicy policy, int threads,
                                Duration timeoutPerAnswer) {
        if (composite == null || policy == null) {
            throw new IllegalArgumentException("composite and policy must not be null (composite=" + composite
                    + ", policy=" + policy + "); fix: pass e.g. CompositeReward.of(...) and RewardErrorPolicy.fail()");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1 but was " + threads
                    + "; fix: e.g. Runtime.getRuntime().availableProcessors()");
        }
        if (timeoutPerAnswer == null || timeoutPerAnswer.isNegative() || timeoutPerAnswer.isZero()) {
            throw new IllegalArgumentException("timeoutPerAnswer must be positive but was " + timeoutPerAnswer
                    + "; fix: e.g. Duration.ofSeconds(1)");
        }
        this.composite = composite;
        this.policy = policy;
        this.threads = threads;
        this.timeout = timeoutPerAnswer;
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads());
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public CompositeReward composite() {
        return composite;
    }

    /** The pool size. */
    public int threads() {
        return threads;
    }

    /** The per-answer timeout. */
    public Duration timeoutPerAnswer() {
        return timeout;
    }

    @Override
    public List<RewardScores> scoreGroups(List<List<List<RewardContext>>> groups) {
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException("groups is empty; fix: pass one K x M group per prompt");
        }
        Semaphore finished = new Semaphore(0);
        Map<RewardContext, RewardJob[]> jobs = new IdentityHashMap<>();
        List<RewardJob> pending = new ArrayList<>();
        List<WeightedReward> terms = composite.terms();
        for (List<List<RewardContext>> group : groups) {
            for (List<RewardContext> row : group == null ? List.<List<RewardContext>>of() : group) {
                for (RewardContext ctx : row) {
                    RewardJob[] perTerm = new RewardJob[terms.size()];
                    for (int t = 0; t < terms.size(); t++) {
                        perTerm[t] = new RewardJob(terms.get(t).reward(), ctx, finished::release, this::stuckFinished);
                        pending.add(perTerm[t]);
                    }
                    jobs.put(ctx, perTerm);
                }
            }
        }
        for (RewardJob job : pending) {
            job.future = pool.submit(job);
        }
        await(pending, finished);
        RewardScorer replay = new RewardScorer(replayOf(jobs), policy);
        List<RewardScores> out = new ArrayList<>(groups.size());
        for (List<List<RewardContext>> group : groups) {
            out.add(replay.scoreGroup(group));
        }
        return out;
    }

    /** Waits until every job is done or timed out. */
    private void await(List<RewardJob> pending, Semaphore finished) {
        long timeoutNanos = timeout.toNanos();
        int open = pending.size();
        List<RewardJob> live = new ArrayList<>(pending);
        long lastScan = System.nanoTime();
        while (open > 0) {
            try {
                if (finished.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
                    open--;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                live.forEach(j -> j.future.cancel(true));
                throw new IllegalStateException("interrupted while waiting for rewards", e);
            }
            long now = System.nanoTime();
            if (now - lastScan < POLL_NANOS) {
                continue;
            }
            lastScan = now;
            for (int i = live.size() - 1; i >= 0; i--) {
                RewardJob job = live.get(i);
                int s = job.state.get();
                if (s == RewardJob.DONE || s == RewardJob.TIMED_OUT) {
                    live.remove(i);
                } else if (s == RewardJob.RUNNING && now - job.startNanos > timeoutNanos) {
                    job.timeoutFailure = new RewardTimeoutException(job.reward.name(), timeout);
                    if (!job.state.compareAndSet(RewardJob.RUNNING, RewardJob.TIMED_OUT)) {
                        continue;
                    }
                    live.remove(i);
                    open--;
                    stuckStarted();
                    job.future.cancel(true);
                }
            }
        }
    }

    private void stuckStarted() {
        synchronized (resizeLock) {
            stuck++;
            if (stuck > 4 * threads) {
                stuck--;
                throw new IllegalStateException(stuck + " reward calls ignore interruption and still hold their"
                        + " threads after the timeout of " + timeout.toMillis() + " ms; fix: make the reward return"
                        + " within the timeout or check Thread.interrupted() in its loops");
            }
            pool.setMaximumPoolSize(threads + stuck);
            pool.setCorePoolSize(threads + stuck);
        }
    }

    private void stuckFinished() {
        synchronized (resizeLock) {
            stuck--;
            pool.setCorePoolSize(threads + stuck);
            pool.setMaximumPoolSize(threads + stuck);
        }
        LOG.debug("a timed-out reward call returned; pool back to {} threads", threads + stuck);
    }

    /** A composite whose terms replay the recorded outcome of each (context, term) call. */
    private CompositeReward replayOf(Map<RewardContext, RewardJob[]> jobs) {
        List<WeightedReward> replayed = new ArrayList<>();
        List<WeightedReward> terms = composite.terms();
        for (int t = 0; t < terms.size(); t++) {
            int term = t;
            String name = terms.get(t).name();
            RewardFunction recorded = RewardFunction.of(name, ctx -> {
                return jobs.get(ctx)[term].replay();
            });
            replayed.add(new WeightedReward(recorded, terms.get(t).weight()));
        }
        return new CompositeReward(composite.name(), replayed);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "reward-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
