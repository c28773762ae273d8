package io.github.dl4jgrpoma.examples;

import java.util.List;
import java.util.Locale;

import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardContext;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;
import io.github.dl4jgrpoma.data.Prompt;

/**
 * Renders a few K x M rollout trees with their rewards as text, for a human to read (the samples file of every
 * example): each prompt's header, then its thoughts and answers with the reward of each answer.
 */
public final class SampleRollouts {
    private SampleRollouts() {
    }

    /**
     * @param prompts the prompts (their text and metadata go to the reward)
     * @param headers one text per prompt, printed above its tree (e.g. the prompt and the expected answer)
     */
    public static String render(IncrementalDecoder decoder, Tokenizer tok, CompositeReward reward, List<Prompt> prompts,
                                List<String> headers, RolloutConfig config, long seed) {
        RolloutBatch batch = new RolloutEngine(decoder, config).rollout(prompts, seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < prompts.size(); i++) {
            Prompt p = prompts.get(i);
            sb.append(headers.get(i)).append(System.lineSeparator());
            PromptRollout pr = batch.prompts().get(i);
            for (int k = 0; k < pr.thoughts().size(); k++) {
                ThoughtRollout t = pr.thoughts().get(k);
                String thought = tok.decode(t.tokens(), true);
                sb.append(String.format(Locale.ROOT, "  thought %d: %s%s%n", k, thought, t.truncated() ? "  [truncated]" : ""));
                for (int m = 0; m < t.answers().size(); m++) {
                    AnswerRollout a = t.answers().get(m);
                    String answer = tok.decode(a.tokens(), true);
                    RewardContext ctx = RewardContext.builder().indices(i, k, m).prompt(p.text()).metadata(p.metadata())
                            .thought(thought, t.tokens()).thoughtTruncated(t.truncated())
                            .answer(answer, a.tokens()).answerTruncated(a.truncated()).build();
                    sb.append(String.format(Locale.ROOT, "    answer %d: %-8s reward %.2f%n", m, answer, reward.score(ctx)));
                }
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
