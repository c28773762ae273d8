package io.github.dl4jgrpoma.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;

/**
 * A {@link RolloutExecutor} on local threads: the step's prompts are split by id into shards
 * ({@link PromptShards#byId}), each shard is sampled by the trainer's engine on its own thread (the decoder reads
 * the shared weights, which nothing writes during the phase), then each shard is scored on its own thread with the
 * prompts' positions in the whole step as reward indices. Results equal {@link InProcessRolloutExecutor}'s up to
 * the float rounding of batched matrix products over a different number of rows (see the Spark module's tests for
 * the measured difference). The threads live from call to call (daemons that exit after 5 idle minutes); a failing
 * shard's exception is rethrown as it is
 * (a {@link io.github.dl4jgrpoma.reward.RewardException} under FAIL).
 *
 * <p>With a minimum of thought rows per shard ({@link RolloutExecutorFactory#auto()}) a step is split into only as many
 * shards as give every shard that many thought rows (prompts x K), at most one per thread: a step with fewer rows runs
 * as one shard, on the executor's first thread.
 */
public final class ThreadPoolRolloutExecutor implements RolloutExecutor {
    private final RolloutSetup setup;
    private final int threads;
    private final int minThoughtRowsPerShard;
    private final List<ExecutorService> lanes = new ArrayList<>();   // shard s always runs on lane s; made on first use

    ThreadPoolRolloutExecutor(RolloutSetup setup, int threads) {
        this(setup, threads, 0);
    }

    /**
     * @param minThoughtRowsPerShard 0: always {@code threads} shards (fewer only with fewer prompts); N > 0: the number
     *                               of shards that gives each at least N thought rows, between 1 and {@code threads}
     */
    ThreadPoolRolloutExecutor(RolloutSetup setup, int threads, int minThoughtRowsPerShard) {
        this.setup = setup;
        this.threads = requireThreads(threads);
        this.minThoughtRowsPerShard = minThoughtRowsPerShard;
        // our choice: the threads outlive a step (daemons that exit after ChunkTasks.IDLE_SECONDS idle), so that each
        // keeps its ND4J workspace of the decoding steps; a pool per step paid the workspaces' set-up every step. One
        // single-thread lane per shard index: a shard of a given index always decodes on the same thread, whose
        // workspace is already sized for it (a shared pool let a one-shard step land on either thread, and each grew
        // a workspace of its own). Lanes are made when a shard first needs them: a step has at most one shard per prompt,
        // so threadPool(100000) makes no more lanes than a step has prompts
    }

    static int requireThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("rollout threads must be >= 1 but was " + threads
                    + "; fix: use 1 (or the in-process executor) for no parallelism");
        }
        return threads;
    }

    @Override
    public ScoredRollouts run(List<Prompt> prompts, long seed) {
        List<int[]> shards = PromptShards.byId(prompts, shards(prompts.size()));
        long t0 = System.nanoTime();
        List<Callable<List<PromptRollout>>> sample = new ArrayList<>();
        for (int[] shard : shards) {
            sample.add(() -> setup.engine().rollout(PromptShards.select(prompts, shard), seed).prompts());
        }
        List<List<PromptRollout>> trees = all(sample);
        long t1 = System.nanoTime();
        List<Callable<List<RewardScores>>> score = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            int[] shard = shards.get(s);
            RolloutBatch part = new RolloutBatch(trees.get(s));
            score.add(() -> setup.rewards().score(PromptShards.select(prompts, shard), part, shard));
        }
        List<List<RewardScores>> groups = all(score);
        long t2 = System.nanoTime();
        return ScoredRollouts.merge(prompts.size(), shards, trees, groups, (t1 - t0) / 1e6, (t2 - t1) / 1e6, Map.of());
    }

    /** How many shards a step of {@code prompts} prompts is split into. */
    int shards(int prompts) {
        if (minThoughtRowsPerShard == 0) {
            return threads;
        }
        long rows = (long) prompts * setup.engine().config().thoughts();
        return (int) Math.max(1, Math.min(threads, rows / minThoughtRowsPerShard));
    }

    /** Lane {@code i}, made now if no shard has used it yet. */
    private synchronized ExecutorService lane(int i) {
        while (lanes.size() <= i) {
            lanes.add(ChunkTasks.daemonPool(1, "grpoma-rollout-" + lanes.size()));
        }
        return lanes.get(i);
    }

    /** How many lanes shards have used so far; for tests. */
    synchronized int lanesMade() {
        return lanes.size();
    }

    private <T> List<T> all(List<Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            futures.add(lane(i).submit(tasks.get(i)));
        }
        List<T> out = new ArrayList<>();
        try {
            for (Future<T> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for rollout shards", e);
        } catch (ExecutionException e) {
            for (Future<T> f : futures) {
                f.cancel(true);                // the other shards' work is of no use now
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a rollout shard failed: " + e.getCause(), e.getCause());
        }
        return out;
    }

    /** Stops the threads and frees their ND4J workspaces at once ({@link GrpoMaTrainer#close()} calls it). */
    @Override
    public void close() {
        List<ExecutorService> made;
        synchronized (this) {
            made = List.copyOf(lanes);
        }
        made.forEach(ChunkTasks::shutdownAndFreeWorkspaces);
    }

    /**
     * False with more than one thread, or with a minimum of rows per shard (whatever the threads: so that whether the
     * old log-probs are recomputed does not depend on the machine's cores): shards decode fewer rows than one engine
     * call and round differently.
     */
    @Override
    public boolean reproducesEngineLogProbs() {
        return threads == 1 && minThoughtRowsPerShard == 0;
    }

    @Override
    public String name() {
        return minThoughtRowsPerShard == 0 ? "threads[" + threads + "]"
                : "auto[" + threads + " threads, >= " + minThoughtRowsPerShard + " thought rows per shard]";
    }
}
