package io.github.dl4jgrpoma.examples.code;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.examples.code.lang.FailureCause;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.examples.math.MathEvaluator;
import io.github.dl4jgrpoma.examples.MetricsHistory;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.TrainingPlots;
import io.github.dl4jgrpoma.examples.plot.LinePlot;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/** Writes a code run's plots, samples and summary next to its metrics files. */
final class CodeOutputs {
    private CodeOutputs() {
    }

    static void write(CodeResult r, Path dir, String samples) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[][] reward = TrainingPlots.series(r.rlSteps(), "reward/mean");
        double[][] acc = TrainingPlots.series(r.rlSteps(), "accuracy");
        new LinePlot("GRPO-MA training reward, code (" + r.settings().shape() + ")", "RL step", "value")
                .add("reward/mean", reward[0], reward[1]).add("all tests passed (sampled answers)", acc[0], acc[1])
                .writePng(dir.resolve("reward.png"));
        double[][] grad = TrainingPlots.series(r.rlSteps(), "grad_norm");
        new LinePlot("Gradient norm (before clipping)", "RL step", "global L2 norm")
                .add("grad_norm", grad[0], grad[1]).writePng(dir.resolve("grad_norm.png"));
        AtomicFiles.writeString(dir.resolve("samples.txt"), samples);
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary(r));
    }

    static String summary(CodeResult r) {
        CodeSettings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "GRPO-MA code run %s, estimator %s, seed %d%n", s.shape(), s.estimator(),
                s.seed()));
        sb.append(String.format(Locale.ROOT, "model: width %d, %d layers, %d heads, max length %d%n", s.width(),
                s.layers(), s.heads(), s.maxLength()));
        sb.append(ReportText.timings(s.sftSteps(), r.sftSeconds(), r.rlSteps().size(), r.rlSeconds()))
                .append(System.lineSeparator());
        sb.append("rollouts: ").append(s.rollouts().describe(s.promptsPerStep(), 0)).append("; old log-probs ").append(s.rollouts().oldLogProbs())
                .append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%-40s %10s %10s%n", "", "after SFT", "after RL"));
        CodeEval b = r.heldOutBefore();
        CodeEval a = r.heldOutAfter();
        row(sb, "held-out greedy accuracy", b.greedyAccuracy(), a.greedyAccuracy());
        row(sb, "held-out pass@1", b.pass1(), a.pass1());
        row(sb, "held-out pass@" + s.passK(), b.passK(), a.passK());
        for (String family : a.perFamilyPass1().keySet()) {
            row(sb, "  pass@1 " + family, b.perFamilyPass1().getOrDefault(family, Double.NaN),
                    a.perFamilyPass1().get(family));
        }
        row(sb, "held-out a*n+b combinations pass@1", r.combosBefore().pass1(), r.combosAfter().pass1());
        row(sb, "held-out a*n+b combinations pass@" + s.passK(), r.combosBefore().passK(), r.combosAfter().passK());
        sb.append(String.format(Locale.ROOT, "(%d held-out problems and %d held-out combination problems, %d samples"
                + " each; correct = all %d hidden tests pass)%n", a.problems(), r.combosAfter().problems(), s.passK(),
                CodeTask.HIDDEN));
        sb.append("sandbox failures (runs) during RL:       ").append(r.trainingFailures().isEmpty()
                ? "not counted here (rewards ran in Spark tasks, which keep their own counts)"
                : causes(r.trainingFailures())).append(System.lineSeparator());
        sb.append("sandbox failures (runs) in eval after RL: ").append(causes(a.failures()))
                .append(System.lineSeparator());
        sb.append("greedy examples after RL:").append(System.lineSeparator());
        for (String e : a.examples()) {
            sb.append("  ").append(e).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String causes(Map<FailureCause, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (FailureCause c : FailureCause.values()) {
            parts.add(c.name().toLowerCase(Locale.ROOT) + " " + counts.getOrDefault(c, 0L));
        }
        return String.join(", ", parts);
    }

    private static void row(StringBuilder sb, String name, double before, double after) {
        sb.append(ReportText.beforeAfter(40, name, before, after));
    }

    /** A few K x M rollout trees of held-out problems with their rewards, for a human to read. */
    static String samples(IncrementalDecoder decoder, Tokenizer tok, CodeRewards rewards, double parseWeight,
                          List<CodeProblem> problems, RolloutConfig config, long seed) {
        List<Prompt> prompts = new ArrayList<>();
        for (CodeProblem p : problems) {
            prompts.add(new Prompt(p.promptText(), MathEvaluator.promptTokens(tok, p.promptText())));
        }
        RolloutBatch batch = new RolloutEngine(decoder, config).rollout(prompts, seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < problems.size(); i++) {
            CodeProblem p = problems.get(i);
            sb.append(String.format(Locale.ROOT, "prompt %s   (%s, reference %s; hidden tests %s)%n", p.promptText(),
                    p.family().id(), p.program(), p.testsText()));
            PromptRollout pr = batch.prompts().get(i);
            for (int k = 0; k < pr.thoughts().size(); k++) {
                ThoughtRollout t = pr.thoughts().get(k);
                sb.append(String.format(Locale.ROOT, "  thought %d: %s%s%n", k, tok.decode(t.tokens(), true),
                        t.truncated() ? "  [truncated]" : ""));
                for (int m = 0; m < t.answers().size(); m++) {
                    AnswerRollout a = t.answers().get(m);
                    String program = tok.decode(a.tokens(), true);
                    double tests = rewards.passRate(program, p.testsText());
                    boolean parses = rewards.parses(program);
                    sb.append(String.format(Locale.ROOT, "    answer %d: %-24s tests %.2f reward %.2f%n", m, program, tests,
                            tests + (parses ? parseWeight : 0)));
                }
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
