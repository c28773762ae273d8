package io.github.dl4jgrpoma.train;

import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.RolloutBatch;

/**
 * The default {@link RolloutExecutor}: one {@link io.github.dl4jgrpoma.rollout.RolloutEngine} call for all
 * prompts, then one {@link RewardStage} call, on the caller's thread.
 */
public final class InProcessRolloutExecutor implements RolloutExecutor {
    private final RolloutSetup setup;

    public InProcessRolloutExecutor(RolloutSetup setup) {
        this.setup = setup;
    }

    @Override
    public ScoredRollouts run(List<Prompt> prompts, long seed) {
        long t0 = System.nanoTime();
        RolloutBatch batch = setup.engine().rollout(prompts, seed);
        long t1 = System.nanoTime();
        List<RewardScores> scores = setup.rewards().score(prompts, batch);
        long t2 = System.nanoTime();
        return new ScoredRollouts(batch, scores, (t1 - t0) / 1e6, (t2 - t1) / 1e6, Map.of());
    }

    @Override
    public String name() {
        return "in-process";
    }
}
