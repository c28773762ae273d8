package io.github.dl4jgrpoma.examples.code;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.examples.math.MathEvaluator;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * Held-out evaluation of a code policy: greedy accuracy, and from {@code k} independent samples per problem
 * (each its own thought and program at the sampling temperature) pass@1 and pass@k, with k = n so that
 * pass@k is simply "any of the k is right". Sandbox failures of every evaluated program are counted by cause.
 */
public final class CodeEvaluator {
    private static final int CHUNK = 64;

    private final IncrementalDecoder decoder;
    private final Tokenizer tokenizer;
    private final Sandbox sandbox;
    private final int maxThoughtTokens;
    private final int maxAnswerTokens;
    private final int k;
    private final double temperature;

    /**
     * @param k           samples per problem for pass@1 and pass@k, {@code >= 1}
     * @param temperature sampling temperature of the samples
     */
    public CodeEvaluator(IncrementalDecoder decoder, Tokenizer tokenizer, Sandbox sandbox, int maxThoughtTokens,
                         int maxAnswerTokens, int k, double temperature) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.sandbox = sandbox;
        this.maxThoughtTokens = maxThoughtTokens;
        this.maxAnswerTokens = maxAnswerTokens;
        this.k = k;
        this.temperature = temperature;
    }

    /** Evaluates on {@code problems}; sampling is seeded by {@code seed}. */
    public CodeEval evaluate(List<CodeProblem> problems, long seed) {
        CodeRewards scorer = new CodeRewards(sandbox);
        int greedyCorrect = 0;
        int sampledCorrect = 0;
        int anyCorrect = 0;
        Map<String, int[]> family = new TreeMap<>();
        List<String> shown = new ArrayList<>();
        RolloutEngine greedy = new RolloutEngine(decoder, config(1, 1.0, 1));
        RolloutEngine sampled = new RolloutEngine(decoder, config(k, temperature, 0));
        for (int from = 0; from < problems.size(); from += CHUNK) {
            List<CodeProblem> chunk = problems.subList(from, Math.min(problems.size(), from + CHUNK));
            List<Prompt> prompts = new ArrayList<>();
            for (CodeProblem p : chunk) {
                prompts.add(new Prompt(p.promptText(), MathEvaluator.promptTokens(tokenizer, p.promptText())));
            }
            RolloutBatch g = greedy.rollout(prompts, seed + from);
            RolloutBatch s = sampled.rollout(prompts, seed ^ (0x5DEECE66DL + from));
            for (int i = 0; i < chunk.size(); i++) {
                CodeProblem p = chunk.get(i);
                ThoughtRollout t = g.prompts().get(i).thoughts().get(0);
                String program = tokenizer.decode(t.answers().get(0).tokens(), true);
                boolean ok = scorer.passRate(program, p.testsText()) == 1.0;
                greedyCorrect += ok ? 1 : 0;
                if (shown.size() < 6) {
                    shown.add(p.promptText() + "  " + tokenizer.decode(t.tokens(), true) + " -> " + program
                            + (ok ? "  (correct)" : "  (expected " + p.program() + ")"));
                }
                int right = 0;
                for (ThoughtRollout st : s.prompts().get(i).thoughts()) {
                    String sp = tokenizer.decode(st.answers().get(0).tokens(), true);
                    right += scorer.passRate(sp, p.testsText()) == 1.0 ? 1 : 0;
                }
                sampledCorrect += right;
                anyCorrect += right > 0 ? 1 : 0;
                int[] f = family.computeIfAbsent(p.family().id(), x -> new int[2]);
                f[0] += right;
                f[1] += k;
            }
        }
        int n = problems.size();
        Map<String, Double> perFamily = new TreeMap<>();
        family.forEach((id, c) -> perFamily.put(id, c[0] / (double) c[1]));
        return new CodeEval(n, greedyCorrect / (double) n, sampledCorrect / (double) (n * k), anyCorrect / (double) n, k,
                perFamily, scorer.failures(), shown);
    }

    private RolloutConfig config(int thoughts, double temp, int topK) {
        return RolloutConfig.builder().thoughts(thoughts).answersPerThought(1).maxThoughtTokens(maxThoughtTokens)
                .maxAnswerTokens(maxAnswerTokens).temperature(temp).topK(topK)
                .endOfThoughtToken(tokenizer.endOfThought()).answerStopTokens(Set.of(tokenizer.eos())).build();
    }
}
