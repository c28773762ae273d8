package io.github.dl4jgrpoma.examples.math;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;
import io.github.dl4jgrpoma.data.Prompt;

/**
 * Held-out evaluation of a math policy: greedy accuracy (top-k = 1 decoding of thought and answer) and
 * sampled pass@1 (the fraction of {@code samples} independent samples per problem, each its own thought
 * and answer at the sampling temperature, whose answer is exactly the right number).
 */
public final class MathEvaluator {
    private static final int CHUNK = 64;

    private final IncrementalDecoder decoder;
    private final Tokenizer tokenizer;
    private final int maxThoughtTokens;
    private final int maxAnswerTokens;
    private final int samples;
    private final double temperature;

    /**
     * @param samples     samples per problem for pass@1 (0 skips sampling)
     * @param temperature sampling temperature of pass@1
     */
    public MathEvaluator(IncrementalDecoder decoder, Tokenizer tokenizer, int maxThoughtTokens, int maxAnswerTokens,
                         int samples, double temperature) {
        if (samples < 0) {
            throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        }
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.maxThoughtTokens = maxThoughtTokens;
        this.maxAnswerTokens = maxAnswerTokens;
        this.samples = samples;
        this.temperature = temperature;
    }

    /** The prompt tokens of a problem: BOS, the prompt text, begin-of-thought. */
    public static int[] promptTokens(Tokenizer tok, MathProblem p) {
        return promptTokens(tok, p.promptText());
    }

    /** The prompt tokens of a prompt text: BOS, the text, begin-of-thought (shared by the code example). */
    public static int[] promptTokens(Tokenizer tok, String promptText) {
        return io.github.dl4jgrpoma.examples.TraceFormat.prompt(tok, promptText);
    }

    /** Evaluates on {@code problems}; sampling is seeded by {@code seed}. */
    public EvalResult evaluate(List<MathProblem> problems, long seed) {
        int greedyCorrect = 0;
        int sampledCorrect = 0;
        List<String> shown = new ArrayList<>();
        RolloutEngine greedy = new RolloutEngine(decoder, config(1, 1.0, 1));
        RolloutEngine sampled = samples == 0 ? null : new RolloutEngine(decoder, config(samples, temperature, 0));
        for (int from = 0; from < problems.size(); from += CHUNK) {
            List<MathProblem> chunk = problems.subList(from, Math.min(problems.size(), from + CHUNK));
            List<Prompt> prompts = new ArrayList<>();
            for (MathProblem p : chunk) {
                prompts.add(new Prompt(p.promptText(), promptTokens(tokenizer, p)));
            }
            RolloutBatch g = greedy.rollout(prompts, seed + from);
            for (int i = 0; i < chunk.size(); i++) {
                ThoughtRollout t = g.prompts().get(i).thoughts().get(0);
                String answer = tokenizer.decode(t.answers().get(0).tokens(), true);
                boolean ok = correct(chunk.get(i), answer);
                greedyCorrect += ok ? 1 : 0;
                if (shown.size() < 5) {
                    shown.add(chunk.get(i).promptText() + " " + tokenizer.decode(t.tokens(), true) + " -> " + answer
                            + (ok ? "  (correct)" : "  (expected " + chunk.get(i).answer() + ")"));
                }
            }
            if (sampled != null) {
                RolloutBatch s = sampled.rollout(prompts, seed ^ (0x5DEECE66DL + from));
                for (int i = 0; i < chunk.size(); i++) {
                    PromptRollout pr = s.prompts().get(i);
                    for (ThoughtRollout t : pr.thoughts()) {
                        AnswerRollout a = t.answers().get(0);
                        sampledCorrect += correct(chunk.get(i), tokenizer.decode(a.tokens(), true)) ? 1 : 0;
                    }
                }
            }
        }
        int n = problems.size();
        return new EvalResult(n, greedyCorrect / (double) n,
                samples == 0 ? Double.NaN : sampledCorrect / (double) (n * samples), shown);
    }

    /** True when the answer text is exactly the right number (no spaces, no leading zeros). */
    public static boolean correct(MathProblem p, String answer) {
        return answer.equals(Long.toString(p.answer()));
    }

    private RolloutConfig config(int thoughts, double temp, int topK) {
        return RolloutConfig.builder().thoughts(thoughts).answersPerThought(1).maxThoughtTokens(maxThoughtTokens)
                .maxAnswerTokens(maxAnswerTokens).temperature(temp).topK(topK)
                .endOfThoughtToken(tokenizer.endOfThought()).answerStopTokens(java.util.Set.of(tokenizer.eos()))
                .build();
    }
}
