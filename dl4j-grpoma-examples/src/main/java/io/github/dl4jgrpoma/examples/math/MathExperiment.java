package io.github.dl4jgrpoma.examples.math;

import io.github.dl4jgrpoma.algo.AdvantageConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.RolloutExecutors;
import io.github.dl4jgrpoma.examples.MetricsHistory;
import io.github.dl4jgrpoma.examples.PhaseTimes;
import io.github.dl4jgrpoma.examples.ProgressBars;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.ResumedMetrics;
import io.github.dl4jgrpoma.examples.ResumedSft;
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
import io.github.dl4jgrpoma.train.RolloutExecutorFactory;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.train.SftConfig;
import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.train.SftTrainer;
import io.github.dl4jgrpoma.train.TrainingResult;

/**
 * One math run: a fresh {@link TransformerPolicy}, SFT warm-up on traces with mistakes, held-out and
 * out-of-distribution evaluation, GRPO-MA, the same evaluation again; {@code config.json}, metrics, plots,
 * samples and checkpoints ({@code checkpoints/sft/}, {@code checkpoints/rl/}) go to the run folder. Returns the
 * numbers so the study can aggregate runs.
 *
 * <p><b>Resume.</b> With {@code resume}, each phase restores its newest valid checkpoint (SFT every
 * {@value #SFT_CHECKPOINT_EVERY} steps, RL every {@value #RL_CHECKPOINT_EVERY}, both at their end) and continues
 * from there; a finished SFT phase is restored whole and evaluated again (same numbers: every draw is seeded from
 * the seed and the step). The metrics files lose the rows after the checkpoint (the steps redone) and then
 * continue. The result is that of an uninterrupted run; only wall-clock times and the {@code elapsed_ms} column
 * start again.
 */
public final class MathExperiment {
    /** SFT checkpoint interval in steps. */
    static final int SFT_CHECKPOINT_EVERY = 100;
    /** RL checkpoint interval in steps. */
    static final int RL_CHECKPOINT_EVERY = 20;

    private MathExperiment() {
    }

    /**
     * Runs everything.
     *
     * @param s        settings
     * @param dir      the run folder (created if missing)
     * @param resume   continue from the folder's checkpoints (see the class documentation)
     * @param out      where the results are printed
     * @param progress where progress bars are drawn (null for none)
     */
    public static MathResult run(MathSettings s, Path dir, boolean resume, PrintStream out, PrintStream progress)
            throws IOException {
        return run(s, dir, resume, RolloutExecutors.inProcess(), out, progress);
    }

    /** {@link #run(MathSettings, Path, boolean, PrintStream, PrintStream)} with RL rollouts on {@code executors}. */
    public static MathResult run(MathSettings s, Path dir, boolean resume, RolloutExecutors executors, PrintStream out,
                                 PrintStream progress) throws IOException {
        WarmUp w = warmUp(s, dir, resume, out, progress);
        return reinforce(s, dir, resume, w.policy(), w, executors, out, progress);
    }

    /** The GRPO-MA configuration of a run's RL phase. */
    public static GrpoMaConfig rlConfig(MathSettings s) {
        Tokenizer tok = tokenizer();
        RolloutConfig rollout = RolloutConfig.builder().thoughts(s.thoughts()).answersPerThought(s.answers())
                .maxThoughtTokens(s.maxThoughtTokens()).maxAnswerTokens(s.maxAnswerTokens()).temperature(s.temperature())
                .endOfThoughtToken(tok.endOfThought()).answerStopTokens(Set.of(tok.eos())).build();
        return GrpoMaConfig.builder().rollout(rollout).estimator(s.estimator()).loss(s.lossConfig())
                .advantage(AdvantageConfig.defaults().withScaleRewards(s.scaleRewards()))
                .optimizer(OptimizerConfig.defaults().withLearningRate(s.rlLr())).promptsPerStep(s.promptsPerStep())
                .innerEpochs(s.innerEpochs()).steps(s.rlSteps()).seed(s.seed()).accuracyReward(MathRewards.CORRECT)
                .checkpointEvery(RL_CHECKPOINT_EVERY).keepCheckpoints(2).build();
    }

    /** The untrained transformer of a run (its architecture and initial weights follow from the settings). */
    static TransformerPolicy newPolicy(MathSettings s) {
        return TransformerPolicy.create(TransformerConfig.builder().vocabSize(tokenizer().vocabSize())
                .width(s.width()).layers(s.layers()).heads(s.heads()).maxLength(s.maxLength()).seed(s.seed()).build());
    }

    /**
     * Phase 1: a fresh model, SFT on traces with mistakes (resumed from {@code dir/checkpoints/sft} with
     * {@code resume}), then the held-out and OOD evaluation of the warmed-up policy.
     */
    public static WarmUp warmUp(MathSettings s, Path dir, boolean resume, PrintStream out, PrintStream progress)
            throws IOException {
        Files.createDirectories(dir);
        if (!resume) {
            ConfigJson.write(dir.resolve("config.json"), s);      // a resume rewrites it once its checkpoints accept it
        }
        Tokenizer tok = tokenizer();
        TransformerPolicy policy = newPolicy(s);
        String tag = "SFT seed " + s.seed();
        RunTimer sftTimer = new RunTimer();
        MathTraces traces = new MathTraces(s.task(), tok, s.mistakeRate(), s.thoughtStyle());
        SplittableRandom traceRng = new SplittableRandom(s.seed() * 1_000_003L + 1);
        List<SftExample> examples = new ArrayList<>(s.sftTraces());
        for (int i = 0; i < s.sftTraces(); i++) {
            examples.add(traces.sample(traceRng));
        }
        List<TrainingListener> sftListeners = new ArrayList<>(List.of(new NanGuardListener(),
                new CsvMetricsListener(dir.resolve("sft_metrics.csv"))));
        if (progress != null) {
            sftListeners.add(ProgressBars.create(progress, List.of("sft/loss", "sft/token_acc")));
        }
        SftConfig sftConfig = new SftConfig(s.sftSteps(), s.sftBatch(),
                OptimizerConfig.defaults().withLearningRate(s.sftLr()), s.seed(), SFT_CHECKPOINT_EVERY, 2);
        out.printf(Locale.ROOT, "[%s] SFT warm-up: %s (%.0f%% with a mistake)%n", tag,
                ReportText.sftPlan(s.sftSteps(), s.sftBatch()), 100 * s.mistakeRate());
        SftTrainer sftTrainer = new SftTrainer(policy, tok, examples, sftConfig, sftListeners,
                dir.resolve("checkpoints").resolve("sft"));
        double lastLoss = Double.NaN;
        if (resume) {
            ResumedSft r = ResumedMetrics.resumeSft(sftTrainer, dir.resolve("sft_metrics.csv"));
            long k = r.step();
            lastLoss = r.lastLoss();
            if (k > 0) {
                out.printf(Locale.ROOT, "[%s] resuming SFT after step %d%n", tag, k);
            }
        }
        TrainingResult sft = sftTrainer.fit();
        double sftSeconds = PhaseTimes.report(dir, "sft", !resume || sft.stepsRun() > 0, sftTimer.seconds());
        MathEvaluator evaluator = evaluator(s, policy, s.evalSamples());
        EvalResult heldBefore = evaluator.evaluate(heldOut(s), s.seed() + 1);
        EvalResult oodBefore = evaluator.evaluate(outOfDistribution(s), s.seed() + 2);
        out.printf(Locale.ROOT, "[%s] after SFT (%.0f s, loss %.3f): held-out greedy %.3f, pass@1 %s | OOD greedy %.3f%n",
                tag, sftSeconds, sft.finalMetrics().getOrDefault("sft/loss", lastLoss), heldBefore.greedyAccuracy(),
                ReportText.scoreOr(heldBefore.sampledPass1(), "n/a (--eval-samples 0)"), oodBefore.greedyAccuracy());
        return new WarmUp(policy, sftSeconds, heldBefore, oodBefore);
    }

    /**
     * Phase 2: GRPO-MA from the warmed-up {@code policy} (trained in place; resumed from
     * {@code dir/checkpoints/rl} with {@code resume}), then the evaluation again. Metrics, plots, samples and
     * checkpoints go to {@code dir}.
     */
    public static MathResult reinforce(MathSettings s, Path dir, boolean resume, TransformerPolicy policy,
                                       WarmUp before, PrintStream out, PrintStream progress) throws IOException {
        return reinforce(s, dir, resume, policy, before, RolloutExecutors.inProcess(), out, progress);
    }

    /** {@link #reinforce(MathSettings, Path, boolean, TransformerPolicy, WarmUp, PrintStream, PrintStream)} with the
     *  rollouts and rewards of each step on {@code executors}. */
    public static MathResult reinforce(MathSettings s, Path dir, boolean resume, TransformerPolicy policy, WarmUp before,
                                       RolloutExecutors executors, PrintStream out, PrintStream progress) throws IOException {
        Files.createDirectories(dir);
        if (!resume) {
            ConfigJson.write(dir.resolve("config.json"), s);      // a resume rewrites it once its checkpoints accept it
        }
        Tokenizer tok = tokenizer();
        String tag = s.shape() + " seed " + s.seed();
        IncrementalDecoder decoder = policy.decoder();
        List<MathProblem> heldOut = heldOut(s);
        CompositeReward reward = MathRewards.create(s.formatWeight(), s.responseCap(), s.overlongCache());
        GrpoMaConfig rl = rlConfig(s);
        RolloutConfig rollout = rl.rollout();
        MetricsHistory history = new MetricsHistory();
        PeriodicEvalListener periodic = new PeriodicEvalListener(evaluator(s, policy, 0), heldOut, s.evalEvery(),
                s.seed() + 3, dir.resolve("eval_curve.csv"));
        List<TrainingListener> rlListeners = new ArrayList<>(List.of(new NanGuardListener(), history, periodic,
                new CsvMetricsListener(dir.resolve("rl_metrics.csv"))));
        if (progress != null) {
            rlListeners.add(ProgressBars.create(progress, List.of("reward/mean", "accuracy", "grad_norm")));
        }
        RolloutExecutorFactory rollouts = executors.factory(MathWorkerSpec.of(s));     // starts Spark, if asked for
        out.printf(Locale.ROOT, "[%s] GRPO-MA (%s): %s, rollouts %s%n", tag, s.estimator(),
                ReportText.rlPlan(s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers()),
                executors.describe(s.promptsPerStep()));
        RunTimer rlTimer = new RunTimer();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(tok)
                .promptSource(new MathPromptSource(s.task(), tok)).reward(reward).config(rl).listeners(rlListeners)
                .checkpointDirectory(dir.resolve("checkpoints").resolve("rl")).runName("math-" + s.shape())
                .rolloutExecutor(rollouts).build();
        if (resume) {
            long k = trainer.restoreLatest().orElse(0);
            ConfigJson.write(dir.resolve("config.json"), s);      // both phases accepted the settings
            history.preload(ResumedMetrics.truncateAndRead(dir.resolve("rl_metrics.csv"), k));
            periodic.resumeAt(k);
            if (k > 0) {
                out.printf(Locale.ROOT, "[%s] resuming RL after step %d%n", tag, k);
            }
        }
        TrainingResult rlResult = trainer.fit();
        double rlSeconds = PhaseTimes.report(dir, "rl", !resume || rlResult.stepsRun() > 0,
                rlTimer.seconds() - periodic.evalSeconds());

        MathEvaluator evaluator = evaluator(s, policy, s.evalSamples());
        EvalResult heldAfter = evaluator.evaluate(heldOut, s.seed() + 1);
        EvalResult oodAfter = evaluator.evaluate(outOfDistribution(s), s.seed() + 2);
        MathResult result = new MathResult(s, before.sftSeconds(), rlSeconds, before.heldOut(), before.outOfDistribution(),
                heldAfter, oodAfter, history.rows(), periodic.points(),
                rlResult.lastCheckpoint().map(Path::toString).orElse(""));
        List<MathProblem> shown = heldOut.subList(0, Math.min(4, heldOut.size()));
        MathPromptSource source = new MathPromptSource(s.task(), tok);
        MathOutputs.write(result, dir, SampleRollouts.render(decoder, tok, reward,
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
