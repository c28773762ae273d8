package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingEndEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.listener.TrainingStartEvent;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.RolloutConfig;

/** Tiny models, prompts and rewards shared by the trainer tests. */
final class Tiny {
    static final CharTokenizer TOKENIZER = new CharTokenizer("0123456789");

    private Tiny() {
    }

    /** A 1-layer, width-16 transformer over the digit vocabulary (V = 15). */
    static TransformerPolicy policy(int maxLength, long seed) {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(TOKENIZER.vocabSize()).width(16).layers(1)
                .heads(2).maxLength(maxLength).seed(seed).initStd(0.3).build());
    }

    /** Prompt {@code <bos> d <think>} with metadata {@code expected = d}. */
    static Prompt digitPrompt(int d) {
        return new Prompt(Integer.toString(d), new int[] {TOKENIZER.bos(), TOKENIZER.encode(Integer.toString(d))[0],
                TOKENIZER.beginThought()}, Map.of("expected", Integer.toString(d)));
    }

    /** A uniformly random digit per prompt. */
    static PromptSource digits() {
        return (count, rng) -> {
            List<Prompt> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(digitPrompt(rng.nextInt(10)));
            }
            return out;
        };
    }

    /** 1 when the answer text equals the prompt's digit. */
    static RewardFunction copyReward() {
        return RewardFunction.of("copy", ctx -> ctx.answer().equals(ctx.requireMetadata("expected")) ? 1.0 : 0.0);
    }

    /** Parity of the sum of the answer's token ids: 0/1 with spread under a random policy. */
    static RewardFunction parityReward() {
        return RewardFunction.of("parity", ctx -> parity(ctx.answerTokens()));
    }

    static double parity(int[] tokens) {
        int sum = 0;
        for (int t : tokens) {
            sum += t;
        }
        return sum % 2;
    }

    static RolloutConfig.Builder rollout(int k, int m, int maxThought, int maxAnswer) {
        return RolloutConfig.builder().thoughts(k).answersPerThought(m).maxThoughtTokens(maxThought)
                .maxAnswerTokens(maxAnswer).endOfThoughtToken(TOKENIZER.endOfThought())
                .answerStopTokens(Set.of(TOKENIZER.eos()));
    }

    /** Records every event. */
    static final class Recorder implements TrainingListener {
        final List<TrainingStartEvent> starts = new ArrayList<>();
        final List<StepEvent> steps = new ArrayList<>();
        final List<TrainingEndEvent> ends = new ArrayList<>();
        long stopAfter = Long.MAX_VALUE;

        @Override
        public void onStart(TrainingStartEvent event) {
            starts.add(event);
        }

        @Override
        public ListenerResponse onStep(StepEvent event) {
            steps.add(event);
            return event.step() >= stopAfter ? ListenerResponse.stop("enough") : ListenerResponse.CONTINUE;
        }

        @Override
        public void onEnd(TrainingEndEvent event) {
            ends.add(event);
        }
    }
}
