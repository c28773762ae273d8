package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.Prompt;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.RewardContext;
import io.github.dl4jgrpoma.reward.RewardScorer;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * Scores every answer of a rollout batch. The {@link RewardContext} of answer {@code (p, k, m)} carries the
 * prompt's text and metadata, the thought's and the answer's sampled tokens with their text decoded without
 * special markers ({@code tokenizer.decode(ids, true)}: the end-of-thought and stop tokens are not part of the
 * text), the truncation flags and the indices.
 */
final class RewardStage {
    private final Tokenizer tokenizer;
    private final RewardScorer scorer;

    RewardStage(Tokenizer tokenizer, RewardScorer scorer) {
        this.tokenizer = tokenizer;
        this.scorer = scorer;
    }

    List<RewardScores> score(List<Prompt> prompts, RolloutBatch batch) {
        List<RewardScores> out = new ArrayList<>(prompts.size());
        for (int p = 0; p < prompts.size(); p++) {
            Prompt prompt = prompts.get(p);
            PromptRollout tree = batch.prompts().get(p);
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
            out.add(scorer.scoreGroup(group));
        }
        return out;
    }
}
