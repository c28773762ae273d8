package io.github.dl4jgrpoma.rollout;

import java.util.List;

/** The rollout trees of a batch of prompts, in prompt order. Immutable. */
public record RolloutBatch(List<PromptRollout> prompts) {

    public RolloutBatch {
        prompts = List.copyOf(prompts);
    }

    /** Total number of sampled tokens (thoughts and answers; forced end-of-thought tokens excluded). */
    public long sampledTokens() {
        long n = 0;
        for (PromptRollout p : prompts) {
            for (ThoughtRollout t : p.thoughts()) {
                n += t.length();
                for (AnswerRollout a : t.answers()) {
                    n += a.length();
                }
            }
        }
        return n;
    }
}
