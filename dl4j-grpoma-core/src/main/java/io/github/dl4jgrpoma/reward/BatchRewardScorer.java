package io.github.dl4jgrpoma.reward;

import java.util.ArrayList;
import java.util.List;

/**
 * The batch form of the reward extension point: every answer of a training step, all prompts' K x M groups,
 * scored in one call, so that slow rewards (a sandbox, an external verifier) can run in parallel or be sent
 * out as one request. {@code groups.get(p).get(k).get(m)} is answer {@code m} of thought {@code k} of prompt
 * {@code p}; the result holds one {@link RewardScores} of shape [K][M] per prompt, in order.
 *
 * <p>Implementations follow the {@link RewardErrorPolicy} of their configuration: under FAIL a failing reward
 * (exception, non-finite score, or timeout where the implementation has one) throws a
 * {@link RewardException}; under SUBSTITUTE it scores the substitute value and is counted in
 * {@link RewardScores#failureCounts()}. The one-answer {@link RewardFunction}s inside stay unchanged:
 * {@link #serial} scores them one after another, {@link ParallelRewardScorer} on a bounded thread pool with a
 * per-answer timeout.
 */
public interface BatchRewardScorer {

    /**
     * Scores all groups of one step.
     *
     * @param groups per prompt, the K x M reward contexts (each group as {@link RewardScorer#scoreGroup} wants it)
     * @return per prompt, the scores [K][M]
     * @throws IllegalArgumentException on an empty, ragged or mis-indexed group
     * @throws RewardException          under FAIL when a reward fails
     */
    List<RewardScores> scoreGroups(List<List<List<RewardContext>>> groups);

    /** The rewards and weights scored. */
    CompositeReward composite();

    /** Scores the groups one answer after another on the calling thread, with no time limit. */
    static BatchRewardScorer serial(RewardScorer scorer) {
        if (scorer == null) {
            throw new IllegalArgumentException("scorer is null; fix: pass new RewardScorer(composite, policy)");
        }
        return new BatchRewardScorer() {
            @Override
            public List<RewardScores> scoreGroups(List<List<List<RewardContext>>> groups) {
                List<RewardScores> out = new ArrayList<>(groups.size());
                for (List<List<RewardContext>> g : groups) {
                    out.add(scorer.scoreGroup(g));
                }
                return out;
            }

            @Override
            public CompositeReward composite() {
                return scorer.composite();
            }
        };
    }
}
