package io.github.dl4jgrpoma.examples.code;


import io.github.dl4jgrpoma.examples.ResumedMetrics;
import io.github.dl4jgrpoma.examples.ResumedSft;

import io.github.dl4jgrpoma.config.ConfigJson;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.examples.PhaseTimes;
import io.github.dl4jgrpoma.examples.ProgressBars;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.examples.code.lang.SandboxLimits;
import io.github.dl4jgrpoma.examples.MetricsHistory;
import io.github.dl4jgrpoma.examples.RolloutExecutors;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.listener.CsvMetricsListener;
import io.github.dl4jgrpoma.listener.NanGuardListener;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
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
 * One code run: a fresh {@link TransformerPolicy}, SFT warm-up on traces with mistakes, held-out evaluation,
 * GRPO-MA with the sandboxed test reward (scored in parallel with a per-answer timeout; a failure or timeout
 * scores 0 and is counted), the same evaluation again; metrics, plots, samples, summary and the final
 * checkpoints ({@code checkpoints/sft}, {@code checkpoints/rl}) go to the run folder, with its {@code config.json}.
 * With {@code resume} each phase continues from its newest valid checkpoint, exactly as an uninterrupted run
 * (every draw is seeded from the seed and the step; see {@code MathExperiment}).
 */
public final class CodeExperiment {
    /** SFT checkpoint interval in steps. */
    static final int SFT_CHECKPOINT_EVERY = 100;
    /** RL checkpoint interval in steps. */
    static final int RL_CHECKPOINT_EVERY = 20;
    private CodeExperiment() {
    }

    /** The tokenizer every code run uses. */
    public static Tokenizer tokenizer() {
        return new CharTokenizer(CodeTask.ALPHABET);
    }

    /**
     * Runs everything.
     *
     * @param out      where the results are printed
     * @param progress where progress bars are drawn (null for none)
     */
    public static CodeResult run(CodeSettings s, Path dir, boolean resume, PrintStream out, PrintStream progress)
            throws IOException {
        return run(s, dir, resume, RolloutExecutors.inProcess(), out, progress);
    }

    /**
     * {@link #run(CodeSettings, Path, boolean, PrintStream, PrintStream)} with the RL rollouts and rewards on
     * {@code executors}.
     */
    public static CodeResult run(CodeSettings s, Path dir, boolean resume, RolloutExecutors executors, PrintStream out,
                                 PrintStream progress) throws IOException {
        CodeWarmUp w = warmUp(s, dir, resume, out, progress);
        return reinforce(s, dir, resume, executors, w, out, progress);
    }

    /**
     * Phase 1: a fresh policy, SFT on generated traces with mistakes (resumed from {@code dir/checkpoints/sft} with
     * {@code resume}), then the held-out evaluation.
     *
     * @param progress where progress bars are drawn (null for none)
     */
    public static CodeWarmUp warmUp(CodeSettings s, Path dir, boolean resume, PrintStream out, PrintStream progress)
            throws IOException {
        Files.createDirectories(dir);
        if (!resume) {
            ConfigJson.write(dir.resolve("config.json"), s);      // a resume rewrites it once its checkpoints accept it
        }
        Tokenizer tok = tokenizer();
        TransformerPolicy policy = CodeWorkerSpec.policy(tok, s.width(), s.layers(), s.heads(), s.maxLength(), s.seed());
        String tag = "seed " + s.seed();

        RunTimer sftTimer = new RunTimer();
        CodeTraces traces = new CodeTraces(s.task(), tok, s.mistakeRate());
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
        print(out, "[SFT %s] SFT warm-up: %s (%.0f%% with a mistake)%n", tag, ReportText.sftPlan(s.sftSteps(), s.sftBatch()),
                100 * s.mistakeRate());
        SftConfig sftConfig = new SftConfig(s.sftSteps(), s.sftBatch(),
                OptimizerConfig.defaults().withLearningRate(s.sftLr()), s.seed(), SFT_CHECKPOINT_EVERY, 2);
        SftTrainer sftTrainer = new SftTrainer(policy, tok, examples, sftConfig, sftListeners,
                dir.resolve("checkpoints").resolve("sft"));
        double lastLoss = Double.NaN;
        if (resume) {
            ResumedSft r = ResumedMetrics.resumeSft(sftTrainer, dir.resolve("sft_metrics.csv"));
            long k = r.step();
            lastLoss = r.lastLoss();
            if (k > 0) {
                print(out, "[SFT %s] resuming SFT after step %d%n", tag, k);
            }
        }
        TrainingResult sft = sftTrainer.fit();
        double sftSeconds = PhaseTimes.report(dir, "sft", !resume || sft.stepsRun() > 0, sftTimer.seconds());

        CodeEvaluator evaluator = evaluator(s, policy, tok);
        CodeEval heldBefore = evaluator.evaluate(heldOut(s), s.seed() + 1);
        CodeEval combosBefore = evaluator.evaluate(combinations(s), s.seed() + 2);
        print(out, "[SFT %s] after SFT (%.0f s, loss %.3f): held-out greedy %.3f, pass@1 %.3f, pass@%d %.3f%n", tag,
                sftSeconds, sft.finalMetrics().getOrDefault("sft/loss", lastLoss), heldBefore.greedyAccuracy(),
                heldBefore.pass1(), s.passK(), heldBefore.passK());
        return new CodeWarmUp(policy, sftSeconds, heldBefore, combosBefore);
    }

    /**
     * Phase 2: GRPO-MA from the warmed-up policy (trained in place; resumed from {@code dir/checkpoints/rl} with
     * {@code resume}) with the rollouts and rewards on {@code executors}, then the held-out evaluation again and the
     * outputs into {@code dir}.
     *
     * @param progress where progress bars are drawn (null for none)
     */
    public static CodeResult reinforce(CodeSettings s, Path dir, boolean resume, RolloutExecutors executors, CodeWarmUp warm,
                                       PrintStream out, PrintStream progress) throws IOException {
        Files.createDirectories(dir);
        if (!resume) {
            ConfigJson.write(dir.resolve("config.json"), s);      // a resume rewrites it once its checkpoints accept it
        }
        Tokenizer tok = tokenizer();
        Sandbox sandbox = new Sandbox(SandboxLimits.defaults());
        TransformerPolicy policy = warm.policy();
        String tag = "seed " + s.seed();
        CodeRewards rewards = new CodeRewards(sandbox);
        CompositeReward reward = rewards.create(s.parseWeight());
        GrpoMaConfig rl = rlConfig(s);
        RolloutConfig rollout = rl.rollout();
        MetricsHistory history = new MetricsHistory();
        List<TrainingListener> rlListeners = new ArrayList<>(List.of(new NanGuardListener(), history,
                new CsvMetricsListener(dir.resolve("rl_metrics.csv"))));
        if (progress != null) {
            rlListeners.add(ProgressBars.create(progress, List.of("reward/mean", "accuracy", "grad_norm")));
        }
        RolloutExecutorFactory rollouts = executors.factory(CodeWorkerSpec.of(s));     // starts Spark, if asked for
        print(out, "[%s %s] GRPO-MA (%s): %s, rewards on %s, rollouts %s%n", s.shape(), tag, s.estimator(),
                ReportText.rlPlan(s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers()),
                ReportText.count(s.rewardThreads(), "thread"), executors.describe(s.promptsPerStep()));
        RunTimer rlTimer = new RunTimer();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(tok)
                .promptSource(new CodePromptSource(s.task(), tok)).reward(reward).config(rl).listeners(rlListeners)
                .parallelRewards(s.rewardThreads(), Duration.ofMillis(s.rewardTimeoutMs()))
                .checkpointDirectory(dir.resolve("checkpoints").resolve("rl")).runName("code-" + s.shape())
                .rolloutExecutor(rollouts).build();
        if (resume) {
            long k = trainer.restoreLatest().orElse(0);
            ConfigJson.write(dir.resolve("config.json"), s);      // both phases accepted the settings
            history.preload(ResumedMetrics.truncateAndRead(dir.resolve("rl_metrics.csv"), k));
            if (k > 0) {
                print(out, "[%s %s] resuming RL after step %d%n", s.shape(), tag, k);
            }
        }
        TrainingResult rlResult = trainer.fit();
        double rlSeconds = PhaseTimes.report(dir, "rl", !resume || rlResult.stepsRun() > 0, rlTimer.seconds());

        List<CodeProblem> heldOut = heldOut(s);
        CodeEvaluator evaluator = evaluator(s, policy, tok);
        CodeEval heldAfter = evaluator.evaluate(heldOut, s.seed() + 1);
        CodeEval combosAfter = evaluator.evaluate(combinations(s), s.seed() + 2);
        CodeResult result = new CodeResult(s, warm.sftSeconds(), rlSeconds, warm.heldOut(), heldAfter, warm.combinations(),
                combosAfter, executors.scoresWithTrainerRewards() ? rewards.failures() : Map.of(), history.rows(),
                rlResult.lastCheckpoint().map(Path::toString).orElse(""));
        CodeOutputs.write(result, dir, CodeOutputs.samples(policy.decoder(), tok, new CodeRewards(sandbox), s.parseWeight(),
                heldOut.subList(0, Math.min(4, heldOut.size())), rollout, s.seed() + 4));
        return result;
    }

    /** The held-out problems every evaluation of a run uses (a function of the task and the seed). */
    static List<CodeProblem> heldOut(CodeSettings s) {
        return s.task().heldOut(s.evalProblems(), s.seed() * 31 + 7);
    }

    /** The held-out {@code a*n+b} parameter combinations every evaluation of a run uses. */
    static List<CodeProblem> combinations(CodeSettings s) {
        return s.task().heldOutCombinations(s.evalProblems(), s.seed() * 31 + 11);
    }

    private static CodeEvaluator evaluator(CodeSettings s, TransformerPolicy policy, Tokenizer tok) {
        return new CodeEvaluator(policy.decoder(), tok, new Sandbox(SandboxLimits.defaults()),
                CodeSettings.MAX_THOUGHT_TOKENS, CodeSettings.MAX_ANSWER_TOKENS, s.passK(), s.temperature());
    }

    /** The GRPO-MA configuration of a run's RL phase. */
    public static GrpoMaConfig rlConfig(CodeSettings s) {
        Tokenizer tok = tokenizer();
        RolloutConfig rollout = RolloutConfig.builder().thoughts(s.thoughts()).answersPerThought(s.answers())
                .maxThoughtTokens(CodeSettings.MAX_THOUGHT_TOKENS).maxAnswerTokens(CodeSettings.MAX_ANSWER_TOKENS)
                .temperature(s.temperature()).endOfThoughtToken(tok.endOfThought())
                .answerStopTokens(Set.of(tok.eos())).build();
        return GrpoMaConfig.builder().rollout(rollout).estimator(s.estimator())
                .loss(LossConfig.builder().beta(0).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(s.rlLr())).promptsPerStep(s.promptsPerStep())
                .steps(s.rlSteps()).seed(s.seed()).accuracyReward(CodeRewards.TESTS).successThreshold(1.0)
                .rewardErrorPolicy(RewardErrorPolicy.substitute(0))
                .checkpointEvery(RL_CHECKPOINT_EVERY).keepCheckpoints(2).build();
    }

    private static void print(PrintStream out, String format, Object... args) {
        out.printf(Locale.ROOT, format, args);
    }
}
