package io.github.dl4jgrpoma.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.reward.RewardException;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.RewardStage;

/**
 * The work of one Spark task: rebuild the policy from the spec and the step's broadcast weights (a new object per
 * task, never shared), sample the shard's prompts with the step's seed, score them with their positions in the
 * step as reward indices, and return plain data. Under the FAIL error policy a {@link RewardException} is returned
 * as the result (not thrown), so a deterministic reward failure is not retried and reaches the driver as the same
 * exception an in-process run throws; any other exception fails the task, which Spark retries.
 */
final class RolloutTask implements FlatMapFunction<Iterator<Wire.Shard>, Wire.ShardResult> {
    private static final long serialVersionUID = 1L;

    private final RolloutWorkerSpec spec;
    private final Broadcast<Wire.Step> step;

    RolloutTask(RolloutWorkerSpec spec, Broadcast<Wire.Step> step) {
        this.spec = spec;
        this.step = step;
    }

    @Override
    public Iterator<Wire.ShardResult> call(Iterator<Wire.Shard> shards) {
        List<Wire.ShardResult> out = new ArrayList<>();
        while (shards.hasNext()) {
            out.add(run(shards.next()));
        }
        return out.iterator();
    }

    private Wire.ShardResult run(Wire.Shard shard) {
        long t0 = System.nanoTime();
        Wire.Step s = step.value();
        GrpoMaConfig config = GrpoMaConfig.fromJson(s.configJson(), "broadcast config");
        PolicyModel policy = spec.newPolicy();
        WeightsCodec.apply(s.weights(), policy.parameters());
        RolloutEngine engine = new RolloutEngine(policy.decoder(), config.rollout());
        RewardStage rewards = new RewardStage(spec.tokenizer(), spec.rewardScorer(spec.reward(), config.rewardErrorPolicy()));
        List<Prompt> prompts = shard.prompts().stream().map(Wire.PromptData::toPrompt).toList();
        long t1 = System.nanoTime();
        RolloutBatch batch = engine.rollout(prompts, s.seed());
        long t2 = System.nanoTime();
        List<List<Wire.ThoughtData>> trees = new ArrayList<>();
        for (PromptRollout tree : batch.prompts()) {
            trees.add(Wire.thoughts(tree));
        }
        List<Wire.ScoresData> scores = new ArrayList<>();
        RewardException failure = null;
        try {
            for (RewardScores g : rewards.score(prompts, batch, shard.positions())) {
                scores.add(Wire.ScoresData.of(g));
            }
        } catch (RewardException e) {
            failure = e;
        }
        long t3 = System.nanoTime();
        return new Wire.ShardResult(shard.positions(), trees, scores, failure, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                (t3 - t2) / 1e6);
    }
}
