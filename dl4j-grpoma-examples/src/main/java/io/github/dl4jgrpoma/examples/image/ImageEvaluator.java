package io.github.dl4jgrpoma.examples.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * Evaluation of an image policy on test-split problems: greedy decoding (top-k = 1) gives the reading accuracy
 * (thought equals the true digits or class) and the greedy task score; {@code samples} independent samples per
 * problem at the sampling temperature give the sampled score (pass@1 of the exact sum, or the mean IoU).
 */
public final class ImageEvaluator {
    private static final int CHUNK = 50;
    private final IncrementalDecoder decoder;
    private final Tokenizer tokenizer;
    private final ImageTask task;
    private final ImagePrompts prompts;
    private final ImageSettings settings;

    public ImageEvaluator(IncrementalDecoder decoder, Tokenizer tokenizer, ImagePrompts prompts, ImageSettings settings) {
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.task = settings.imageTask();
        this.prompts = prompts;
        this.settings = settings;
    }

    /** Evaluates {@code problems}; sampling is seeded by {@code seed}. */
    public ImageEvalResult evaluate(List<ImageProblem> problems, int samples, long seed) {
        double reading = 0;
        double greedy = 0;
        double sampled = 0;
        List<String> shown = new ArrayList<>();
        RolloutEngine greedyEngine = new RolloutEngine(decoder, config(1, 1.0, 1));
        RolloutEngine sampledEngine = samples == 0 ? null : new RolloutEngine(decoder, config(samples, settings.temperature(), 0));
        for (int from = 0; from < problems.size(); from += CHUNK) {
            List<ImageProblem> chunk = problems.subList(from, Math.min(problems.size(), from + CHUNK));
            List<Prompt> batch = chunk.stream().map(prompts::prompt).toList();
            RolloutBatch g = greedyEngine.rollout(batch, seed + from);
            for (int i = 0; i < chunk.size(); i++) {
                ImageProblem p = chunk.get(i);
                ThoughtRollout t = g.prompts().get(i).thoughts().get(0);
                String thought = tokenizer.decode(t.tokens(), true);
                String answer = tokenizer.decode(t.answers().get(0).tokens(), true);
                boolean read = thought.equals(task.trueReading(p));
                double score = task.score(p, answer);
                reading += read ? 1 : 0;
                greedy += score;
                if (shown.size() < 5) {
                    shown.add(String.format(Locale.ROOT, "truth %s -> %s: read %s%s, answer %s (%s %.2f)", task.trueReading(p),
                            p.metadata().getOrDefault(ImageRewards.EXPECTED, p.metadata().get(ImageRewards.BOX)), thought,
                            read ? "" : " (wrong)", answer, task.scoreName(), score));
                }
            }
            if (sampledEngine != null) {
                RolloutBatch s = sampledEngine.rollout(batch, seed ^ (0x5DEECE66DL + from));
                for (int i = 0; i < chunk.size(); i++) {
                    PromptRollout pr = s.prompts().get(i);
                    for (ThoughtRollout t : pr.thoughts()) {
                        sampled += task.score(chunk.get(i), tokenizer.decode(t.answers().get(0).tokens(), true));
                    }
                }
            }
        }
        int n = problems.size();
        return new ImageEvalResult(n, reading / n, greedy / n, samples == 0 ? Double.NaN : sampled / ((double) n * samples), shown);
    }

    private RolloutConfig config(int thoughts, double temperature, int topK) {
        return RolloutConfig.builder().thoughts(thoughts).answersPerThought(1).maxThoughtTokens(settings.maxThoughtTokens())
                .maxAnswerTokens(settings.maxAnswerTokens()).temperature(temperature).topK(topK)
                .endOfThoughtToken(tokenizer.endOfThought()).answerStopTokens(Set.of(tokenizer.eos())).build();
    }
}
