package io.github.dl4jgrpoma.examples.math;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.examples.MetricsHistory;
import io.github.dl4jgrpoma.examples.Progress;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.SampleRollouts;
import io.github.dl4jgrpoma.listener.CsvMetricsListener;
import io.github.dl4jgrpoma.listener.NanGuardListener;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.train.SftConfig;
import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.train.SftTrainer;
import io.github.dl4jgrpoma.train.TrainingResult;

/**
 * One math run: a fresh {@link TransformerPolicy}, SFT warm-up on traces with mistakes, held-out and
 * out-of-distribution evaluation, GRPO-MA, the same evaluation again; metrics, plots, samples and the final
 * checkpoint go to {@link MathSettings#outDir()}. Returns the numbers so the study can aggregate runs.
 */
public final class MathExperiment {
    private MathExperiment() {
    }

    /**
     * Runs everything.
     *
     * @param s        settings
     * @param out      where the results are printed
     * @param progress where progress bars are drawn (null for none)
     */
    public static MathResult run(MathSettings s, PrintStream out, PrintStream progress) throws IOException {
        WarmUp w = warmUp(s, out, progress);
        return reinforce(s, w.policy(), w, out, progress);
    }

    /**
     * Phase 1: a fresh model, SFT on traces with mistakes, then the held-out and OOD evaluation of the
     * warmed-up policy.
     */
    public static WarmUp warmUp(MathSettings s, PrintStream out, PrintStream progress) throws IOException {
        Files.createDirectories(s.outDir());
        Tokenizer tok = tokenizer();
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder().vocabSize(tok.vocabSize())
                .width(s.width()).layers(s.layers()).heads(s.heads()).maxLength(s.maxLength()).seed(s.seed()).build());
        String tag = "SFT seed " + s.seed();
        RunTimer sftTimer = new RunTimer();
        MathTraces traces = new MathTraces(s.task(), tok, s.mistakeRate(), s.thoughtStyle());
        SplittableRandom traceRng = new SplittableRandom(s.seed() * 1_000_003L + 1);
        List<SftExample> examples = new ArrayList<>(s.sftTraces());
        for (int i = 0; i < s.sftTraces(); i++) {
            examples.add(traces.sample(traceRng));
        }
        List<TrainingListener> sftListeners = new ArrayList<>(List.of(new NanGuardListener(),
                new CsvMetricsListener(s.outDir().resolve("sft_metrics.csv"))));
        if (progress != null) {
            sftListeners.add(Progress.bar(progress, List.of("sft/loss", "sft/token_acc")));
        }
        SftConfig sftConfig = SftConfig.of(s.sftSteps()).withBatchSize(s.sftBatch())
                .withOptimizer(OptimizerConfig.defaults().withLearningRate(s.sftLr())).withSeed(s.seed());
        if (!s.quiet()) {
            out.printf(Locale.ROOT, "[%s] SFT warm-up: %d steps x %d traces (%.0f%% with a mistake)%n", tag, s.sftSteps(),
                    s.sftBatch(), 100 * s.mistakeRate());
        }
        TrainingResult sft = new SftTrainer(policy, tok, examples, sftConfig, sftListeners, null).fit();
        double sftSeconds = sftTimer.seconds();
        MathEvaluator evaluator = evaluator(s, policy, s.evalSamples());
        EvalResult heldBefore = evaluator.evaluate(heldOut(s), s.seed() + 1);
        EvalResult oodBefore = evaluator.evaluate(outOfDistribution(s), s.seed() + 2);
        if (!s.quiet()) {
            out.printf(Locale.ROOT, "[%s] after SFT (%.0f s, loss %.3f): held-out greedy %.3f, pass@1 %.3f | OOD greedy %.3f%n",
                    tag, sftSeconds, sft.finalMetrics().getOrDefault("sft/loss", Double.NaN), heldBefore.greedyAccuracy(),
                    heldBefore.sampledPass1(), oodBefore.greedyAccuracy());
        }
        return new WarmUp(policy, sftSeconds, heldBefore, oodBefore);
    }

    /**
     * Phase 2: GRPO-MA from the warmed-up {@code policy} (trained in place), then the evaluation again.
     * Metrics, plots, samples and the final checkpoint go to {@code s.outDir()}.
     */
    public static MathResult reinforce(MathSettings s, TransformerPolicy policy, WarmUp before, PrintStream out,
                                       PrintStream progress) throws IOException {
        Files.createDirectories(s.outDir());
        Tokenizer tok = tokenizer();
        String tag = s.shape() + " seed " + s.seed();
        IncrementalDecoder decoder = policy.decoder();
        List<MathProblem> heldOut = heldOut(s);
        CompositeReward reward = MathRewards.create(s.formatWeight());
        RolloutConfig rollout = RolloutConfig.builder().thoughts(s.thoughts()).answersPerThought(s.answers())
                .maxThoughtTokens(s.maxThoughtTokens()).maxAnswerTokens(s.maxAnswerTokens()).temperature(s.temperature())
                .endOfThoughtToken(tok.endOfThought()).answerStopTokens(Set.of(tok.eos())).build();
        GrpoMaConfig rl = GrpoMaConfig.builder().rollout(rollout).estimator(s.estimator())
                .loss(LossConfig.builder().beta(s.beta()).aggregation(s.aggregation()).thoughtWeight(s.thoughtWeight()).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(s.rlLr())).promptsPerStep(s.promptsPerStep())
                .innerEpochs(s.innerEpochs()).steps(s.rlSteps()).seed(s.seed()).accuracyReward(MathRewards.CORRECT)
                .checkpointEvery(Math.max(1, s.rlSteps())).keepCheckpoints(1).build();
        MetricsHistory history = new MetricsHistory();
        PeriodicEvalListener periodic = new PeriodicEvalListener(evaluator(s, policy, 0), heldOut, s.evalEvery(),
                s.seed() + 3);
        List<TrainingListener> rlListeners = new ArrayList<>(List.of(new NanGuardListener(), history, periodic,
                new CsvMetricsListener(s.outDir().resolve("rl_metrics.csv"))));
        if (progress != null) {
            rlListeners.add(Progress.bar(progress, List.of("reward/mean", "accuracy", "grad_norm")));
        }
        if (!s.quiet()) {
            out.printf(Locale.ROOT, "[%s] GRPO-MA (%s): %d steps x %d prompts x %d thoughts x %d answers%n", tag,
                    s.estimator(), s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers());
        }
        RunTimer rlTimer = new RunTimer();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(tok)
                .promptSource(new MathPromptSource(s.task(), tok)).reward(reward).config(rl).listeners(rlListeners)
                .checkpointDirectory(s.outDir().resolve("checkpoints")).runName("math-" + s.shape()).build();
        TrainingResult rlResult = trainer.fit();
        double rlSeconds = rlTimer.seconds() - periodic.evalSeconds();

        MathEvaluator evaluator = evaluator(s, policy, s.evalSamples());
        EvalResult heldAfter = evaluator.evaluate(heldOut, s.seed() + 1);
        EvalResult oodAfter = evaluator.evaluate(outOfDistribution(s), s.seed() + 2);
        MathResult result = new MathResult(s, before.sftSeconds(), rlSeconds, before.heldOut(), before.outOfDistribution(),
                heldAfter, oodAfter, history.rows(), periodic.points(),
                rlResult.lastCheckpoint().map(Path::toString).orElse(""));
        List<MathProblem> shown = heldOut.subList(0, Math.min(4, heldOut.size()));
        MathPromptSource source = new MathPromptSource(s.task(), tok);
        MathOutputs.write(result, s.outDir(), SampleRollouts.render(decoder, tok, reward,
                shown.stream().map(source::prompt).toList(), shown.stream().map(p -> String.format(Locale.ROOT,
                        "prompt %s   (expected %d)", p.promptText(), p.answer())).toList(), rollout, s.seed() + 4));
        return result;
    }

    private static MathEvaluator evaluator(MathSettings s, TransformerPolicy policy, int samples) {
        return new MathEvaluator(policy.decoder(), tokenizer(), s.maxThoughtTokens(), s.maxAnswerTokens(),
                samples, s.temperature());
    }

    /** The held-out problems of a run (a function of the task and the seed). */
    static List<MathProblem> heldOut(MathSettings s) {
        return s.task().heldOut(s.evalProblems(), s.seed() * 31 + 7);
    }

    /** The out-of-distribution problems of a run. */
    static List<MathProblem> outOfDistribution(MathSettings s) {
        return s.task().outOfDistribution(s.evalProblems(), s.seed() * 31 + 11);
    }

    /** The tokenizer every math run uses. */
    public static Tokenizer tokenizer() {
        return new CharTokenizer(MathTask.ALPHABET);
    }
}
