package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.Prompt;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.BatchRewardScorer;
import io.github.dl4jgrpoma.reward.RewardContext;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * Scores every answer of a rollout batch. The {@link RewardContext} of answer {@code (p, k, m)} carries the
 * prompt's text and metadata, the thought's and the answer's sampled tokens with their text decoded without
 * special markers ({@code tokenizer.decode(ids, true)}: the end-of-thought and stop tokens are not part of the
 * text), the truncation flags and the indices. All groups of the step go to the {@link BatchRewardScorer} in
 * one call.
 */
public final class RewardStage {
    private final Tokenizer tokenizer;
    private final BatchRewardScorer scorer;

    public RewardStage(Tokenizer tokenizer, BatchRewardScorer scorer) {
        this.tokenizer = tokenizer;
        this.scorer = scorer;
    }

    /** Scores a whole step: the reward index of prompt {@code p} is {@code p}. */
    public List<RewardScores> score(List<Prompt> prompts, RolloutBatch batch) {
        return score(prompts, batch, java.util.stream.IntStream.range(0, prompts.size()).toArray());
    }

    /**
     * Scores a shard of a step ({@link RolloutExecutor}): {@code prompts.get(i)} is the step's prompt at position
     * {@code positions[i]}, which becomes its reward index, so rewards see the same contexts as in one call.
     *
     * @throws IllegalArgumentException if the sizes of prompts, batch and positions differ
     */
    public List<RewardScores> score(List<Prompt> prompts, RolloutBatch batch, int[] positions) {
        if (prompts.size() != batch.prompts().size() || prompts.size() != positions.length) {
            throw new IllegalArgumentException("RewardStage: " + prompts.size() + " prompts, " + batch.prompts().size()
                    + " rollout trees and " + positions.length + " positions; they must match one to one");
        }
        List<List<List<RewardContext>>> groups = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int p = positions[i];
            Prompt prompt = prompts.get(i);
            PromptRollout tree = batch.prompts().get(i);
            List<List<RewardContext>> group = new ArrayList<>();
            for (int k = 0; k < tree.thoughts().size(); k++) {
                ThoughtRollout thought = tree.thoughts().get(k);
                int[] thTokens = thought.tokens();
                String thText = tokenizer.decode(thTokens, true);
                List<RewardContext> row = new ArrayList<>();
                for (int m = 0; m < thought.answers().size(); m++) {
                    AnswerRollout answer = thought.answers().get(m);
                    int[] aTokens = answer.tokens();
                    row.add(RewardContext.builder().indices(p, k, m).prompt(prompt.text()).metadata(prompt.metadata())
                            .thought(thText, thTokens).thoughtTruncated(thought.truncated())
                            .answer(tokenizer.decode(aTokens, true), aTokens).answerTruncated(answer.truncated())
                            .build());
                }
                group.add(row);
            }
            groups.add(group);
        }
        return scorer.scoreGroups(groups);
    }
}
