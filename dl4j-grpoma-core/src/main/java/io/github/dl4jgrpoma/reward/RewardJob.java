package io.github.dl4jgrpoma.reward;

import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reward call of a {@link ParallelRewardScorer}: one term on one answer. Its state moves
 * QUEUED -> RUNNING -> DONE, or RUNNING -> TIMED_OUT when the scorer gives up on it; the two moves out of
 * RUNNING race through one compare-and-set, so exactly one side owns the result.
 */
final class RewardJob implements Runnable {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int TIMED_OUT = 3;

    final RewardFunction reward;
    final RewardContext ctx;
    private final Runnable onDone;
    private final Runnable onStuckFinished;
    final AtomicInteger state = new AtomicInteger(QUEUED);
    volatile long startNanos;
    double value;
    RuntimeException failure;
    /** Set by the scorer when it gives up on the call (state TIMED_OUT); the worker never writes it. */
    volatile RuntimeException timeoutFailure;
    Future<?> future;

    RewardJob(RewardFunction reward, RewardContext ctx, Runnable onDone, Runnable onStuckFinished) {
        this.reward = reward;
        this.ctx = ctx;
        this.onDone = onDone;
        this.onStuckFinished = onStuckFinished;
    }

    @Override
    public void run() {
        startNanos = System.nanoTime();
        if (!state.compareAndSet(QUEUED, RUNNING)) {
            return;
        }
        double v = Double.NaN;
        RuntimeException f = null;
        try {
            v = reward.score(ctx);
        } catch (RuntimeException e) {
            f = e;
        } catch (StackOverflowError e) {
            f = new IllegalStateException("StackOverflowError in reward '" + reward.name() + "'", e);
        }
        value = v;
        failure = f;
        if (state.compareAndSet(RUNNING, DONE)) {
            onDone.run();
        } else {
            onStuckFinished.run();
        }
    }

    /** The recorded score; throws the recorded failure (the timeout for a timed-out call). */
    double replay() {
        if (state.get() == TIMED_OUT) {
            throw timeoutFailure;
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
