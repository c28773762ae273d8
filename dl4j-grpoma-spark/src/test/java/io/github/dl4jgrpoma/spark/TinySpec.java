package io.github.dl4jgrpoma.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.TaskContext;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * A tiny digit task for the Spark tests: a 1-layer transformer, prompts {@code <bos> d <think>}, a parity reward plus
 * a term of the prompt's index in the step (so wrong reward indices show), and optionally a reward that throws on
 * the prompt at index {@link #failingPrompt} and a first task attempt that crashes.
 *
 * @param seed              initial weights of the trainer's policy (the workers' are overwritten)
 * @param failingPrompt     index of the prompt whose reward throws, or -1
 * @param crashFirstAttempt the first attempt of partition 0 throws before it does anything
 */
record TinySpec(long seed, int failingPrompt, boolean crashFirstAttempt) implements RolloutWorkerSpec {
    static final CharTokenizer TOKENIZER = new CharTokenizer("0123456789");

    static TinySpec plain(long seed) {
        return new TinySpec(seed, -1, false);
    }

    @Override
    public PolicyModel newPolicy() {
        TaskContext task = TaskContext.get();
        if (crashFirstAttempt && task != null && task.partitionId() == 0 && task.attemptNumber() == 0) {
            throw new IllegalStateException("injected executor failure (partition 0, attempt 0)");
        }
        return policy();
    }

    TransformerPolicy policy() {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(TOKENIZER.vocabSize()).width(16).layers(1)
                .heads(2).maxLength(10).seed(seed).initStd(0.3).build());
    }

    @Override
    public Tokenizer tokenizer() {
        return TOKENIZER;
    }

    @Override
    public CompositeReward reward() {
        RewardFunction parity = RewardFunction.of("parity", ctx -> {
            int sum = 0;
            for (int t : ctx.answerTokens()) {
                sum += t;
            }
            return sum % 2;
        });
        RewardFunction index = RewardFunction.of("index", ctx -> {
            if (ctx.promptIndex() == failingPrompt) {
                throw new IllegalStateException("reward crashed on prompt " + failingPrompt);
            }
            return 0.1 * ctx.promptIndex();
        });
        return CompositeReward.of(parity, index);
    }

    static PromptSource digits() {
        return (count, rng) -> {
            List<Prompt> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int d = rng.nextInt(10);
                out.add(new Prompt(Integer.toString(d), new int[] {TOKENIZER.bos(), TOKENIZER.encode(Integer.toString(d))[0],
                        TOKENIZER.beginThought()}, Map.of("expected", Integer.toString(d))));
            }
            return out;
        };
    }

    static RolloutConfig rollout() {
        return RolloutConfig.builder().thoughts(2).answersPerThought(2).maxThoughtTokens(3).maxAnswerTokens(2)
                .endOfThoughtToken(TOKENIZER.endOfThought()).answerStopTokens(Set.of(TOKENIZER.eos())).build();
    }
}
