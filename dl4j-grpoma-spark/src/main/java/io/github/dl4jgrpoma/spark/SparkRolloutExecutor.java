package io.github.dl4jgrpoma.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.reward.RewardException;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.train.PromptShards;
import io.github.dl4jgrpoma.train.RolloutExecutor;
import io.github.dl4jgrpoma.train.RolloutExecutorFactory;
import io.github.dl4jgrpoma.train.RolloutSetup;
import io.github.dl4jgrpoma.train.ScoredRollouts;

/**
 * A {@link RolloutExecutor} on Apache Spark. Each step:
 * <ol>
 *   <li>the driver encodes the policy's weights once ({@link WeightsCodec}) and broadcasts them with the run
 *       config and the step's rollout seed;</li>
 *   <li>the prompts are split by id into {@code partitions} shards ({@link PromptShards#byId}), one Spark
 *       partition each;</li>
 *   <li>each task rebuilds the policy from the {@link RolloutWorkerSpec} and the broadcast, samples and scores its
 *       shard ({@code RolloutTask});</li>
 *   <li>the driver collects the trees and scores, puts them in prompt order and destroys the broadcast; the
 *       trainer then updates on the driver.</li>
 * </ol>
 * Rollouts are seeded by prompt id, so a prompt's tree does not depend on its shard; results equal the
 * in-process executor's up to the float rounding of batched products over a different number of rows
 * (see the module's equivalence test). A failing task is retried by Spark ({@code spark.task.maxFailures}, or
 * {@code local[N,F]}); a task's result is a function of the broadcast and its shard, so a retry returns the same
 * data. Under the FAIL reward error policy the first {@link RewardException} (lowest prompt index) is rethrown on
 * the driver, as an in-process run would.
 *
 * <p>Step metrics added: {@code spark/serialize_ms} (encoding the weights), {@code spark/broadcast_ms}
 * (creating the broadcast on the driver; executors fetch it when their first task runs, inside the job),
 * {@code spark/job_ms} (the distributed job: scheduling, fetching the broadcast, the tasks, returning results),
 * {@code spark/collect_ms} (rebuilding the trees on the driver), {@code spark/weights_mb}, {@code spark/partitions},
 * and the slowest task's {@code spark/task_rebuild_ms}, {@code spark/task_rollout_ms}, {@code spark/task_reward_ms}.
 * The trainer's {@code time/reward_ms} is the slowest task's reward time, and {@code time/rollout_ms} the rest of
 * the phase (serialisation, broadcast, job and collection minus that), so the two still add up to the phase.
 */
public final class SparkRolloutExecutor implements RolloutExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(SparkRolloutExecutor.class);

    private final JavaSparkContext spark;
    private final RolloutWorkerSpec spec;
    private final int partitions;
    private final RolloutSetup setup;

    private SparkRolloutExecutor(JavaSparkContext spark, RolloutWorkerSpec spec, int partitions, RolloutSetup setup) {
        this.spark = spark;
        this.spec = spec;
        this.partitions = partitions;
        this.setup = setup;
    }

    /**
     * A factory for {@code GrpoMaTrainerBuilder.rolloutExecutor}.
     *
     * @param spark      the Spark context (owned by the caller, who stops it)
     * @param spec       how tasks rebuild the policy, tokenizer and rewards
     * @param partitions number of shards per step, usually the number of executor cores; {@code >= 1}
     * @throws IllegalArgumentException on a null argument or {@code partitions < 1}
     */
    public static RolloutExecutorFactory factory(JavaSparkContext spark, RolloutWorkerSpec spec, int partitions) {
        if (spark == null || spec == null) {
            throw new IllegalArgumentException("spark and spec are required (spark=" + spark + ", spec=" + spec + ")");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 but was " + partitions
                    + "; fix: use the number of executor cores (spark.default.parallelism)");
        }
        return setup -> new SparkRolloutExecutor(spark, spec, partitions, setup);
    }

    @Override
    public ScoredRollouts run(List<Prompt> prompts, long seed) {
        long t0 = System.nanoTime();
        byte[] weights = WeightsCodec.encode(setup.policy().parameters());
        long t1 = System.nanoTime();
        Broadcast<Wire.Step> step = spark.broadcast(new Wire.Step(weights, setup.config().toJson(), seed));
        long t2 = System.nanoTime();
        List<Wire.ShardResult> results;
        try {
            List<int[]> shards = PromptShards.byId(prompts, partitions);
            List<Wire.Shard> data = new ArrayList<>();
            for (int[] shard : shards) {
                data.add(new Wire.Shard(shard, PromptShards.select(prompts, shard).stream().map(Wire.PromptData::of).toList()));
            }
            results = spark.parallelize(data, data.size()).mapPartitions(new RolloutTask(spec, step)).collect();
        } finally {
            destroy(step);
        }
        long t3 = System.nanoTime();
        results.stream().filter(r -> r.failure() != null).map(Wire.ShardResult::failure)
                .min(Comparator.comparingInt(RewardException::promptIndex)).ifPresent(e -> {
                    throw e;
                });
        List<int[]> positions = new ArrayList<>();
        List<List<PromptRollout>> trees = new ArrayList<>();
        List<List<RewardScores>> groups = new ArrayList<>();
        double rebuild = 0;
        double rollout = 0;
        double reward = 0;
        for (Wire.ShardResult r : results) {
            positions.add(r.positions());
            List<PromptRollout> t = new ArrayList<>();
            for (int i = 0; i < r.positions().length; i++) {
                t.add(Wire.tree(prompts.get(r.positions()[i]), r.trees().get(i)));
            }
            trees.add(t);
            groups.add(r.scores().stream().map(Wire.ScoresData::toScores).toList());
            rebuild = Math.max(rebuild, r.rebuildMs());
            rollout = Math.max(rollout, r.rolloutMs());
            reward = Math.max(reward, r.rewardMs());
        }
        long t4 = System.nanoTime();
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("spark/serialize_ms", (t1 - t0) / 1e6);
        extra.put("spark/broadcast_ms", (t2 - t1) / 1e6);
        extra.put("spark/job_ms", (t3 - t2) / 1e6);
        extra.put("spark/collect_ms", (t4 - t3) / 1e6);
        extra.put("spark/weights_mb", weights.length / 1e6);
        extra.put("spark/partitions", (double) results.size());
        extra.put("spark/task_rebuild_ms", rebuild);
        extra.put("spark/task_rollout_ms", rollout);
        extra.put("spark/task_reward_ms", reward);
        double phase = (t4 - t0) / 1e6;
        LOG.debug("spark rollout phase: {}", extra);
        return ScoredRollouts.merge(prompts.size(), positions, trees, groups, phase - reward, reward, extra);
    }

    /**
     * Frees the step's broadcast. A failure here (the context already stopped because the job failed, e.g. an
     * unreachable master: {@code SparkEnv} is gone and {@code destroy} throws a NullPointerException) is logged, not
     * thrown, so the job's own exception reaches the caller.
     */
    private static void destroy(Broadcast<?> step) {
        try {
            step.destroy();
        } catch (RuntimeException e) {
            LOG.warn("could not free the step's broadcast ({}); the Spark context is probably stopped", e.toString());
        }
    }

    /**
     * False: partitions decode fewer rows than one engine call and round differently, and a cluster's executors may
     * run other native builds; under {@link io.github.dl4jgrpoma.train.OldLogProbs#AUTO} the driver recomputes the
     * old log-probs.
     */
    @Override
    public boolean reproducesEngineLogProbs() {
        return false;
    }

    @Override
    public String name() {
        return "spark[" + spark.master() + "]";
    }
}
