package io.github.dl4jgrpoma.examples.code;

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

import io.github.dl4jgrpoma.examples.ProgressBars;
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
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.train.SftConfig;
import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.train.SftTrainer;
import io.github.dl4jgrpoma.train.TrainingResult;

/**
 * One code run: a fresh {@link TransformerPolicy}, SFT warm-up on traces with mistakes, held-out evaluation,
 * GRPO-MA with the sandboxed test reward (scored in parallel with a per-answer timeout; a failure or timeout
 * scores 0 and is counted), the same evaluation again; metrics, plots, samples, summary and the final
 * checkpoint go to {@link CodeSettings#outDir()}.
 */
public final class CodeExperiment {
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
    public static CodeResult run(CodeSettings s, PrintStream out, PrintStream progress) throws IOException {
        return run(s, RolloutExecutors.inProcess(), out, progress);
    }

    /** {@link #run(CodeSettings, PrintStream, PrintStream)} with the RL rollouts and rewards on {@code executors}. */
    public static CodeResult run(CodeSettings s, RolloutExecutors executors, PrintStream out, PrintStream progress)
            throws IOException {
        Files.createDirectories(s.outDir());
        Tokenizer tok = tokenizer();
        Sandbox sandbox = new Sandbox(SandboxLimits.defaults());
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
                new CsvMetricsListener(s.outDir().resolve("sft_metrics.csv"))));
        if (progress != null) {
            sftListeners.add(ProgressBars.create(progress, List.of("sft/loss", "sft/token_acc")));
        }
        print(s, out, "[SFT %s] SFT warm-up: %d steps x %d traces (%.0f%% with a mistake)%n", tag, s.sftSteps(),
                s.sftBatch(), 100 * s.mistakeRate());
        SftConfig sftConfig = SftConfig.of(s.sftSteps()).withBatchSize(s.sftBatch())
                .withOptimizer(OptimizerConfig.defaults().withLearningRate(s.sftLr())).withSeed(s.seed());
        TrainingResult sft = new SftTrainer(policy, tok, examples, sftConfig, sftListeners, null).fit();
        double sftSeconds = sftTimer.seconds();

        List<CodeProblem> heldOut = s.task().heldOut(s.evalProblems(), s.seed() * 31 + 7);
        List<CodeProblem> combos = s.task().heldOutCombinations(s.evalProblems(), s.seed() * 31 + 11);
        CodeEvaluator evaluator = new CodeEvaluator(policy.decoder(), tok, sandbox,
                CodeSettings.MAX_THOUGHT_TOKENS, CodeSettings.MAX_ANSWER_TOKENS, s.passK(), s.temperature());
        CodeEval heldBefore = evaluator.evaluate(heldOut, s.seed() + 1);
        CodeEval combosBefore = evaluator.evaluate(combos, s.seed() + 2);
        print(s, out, "[SFT %s] after SFT (%.0f s, loss %.3f): held-out greedy %.3f, pass@1 %.3f, pass@%d %.3f%n", tag,
                sftSeconds, sft.finalMetrics().getOrDefault("sft/loss", Double.NaN), heldBefore.greedyAccuracy(),
                heldBefore.pass1(), s.passK(), heldBefore.passK());

        CodeRewards rewards = new CodeRewards(sandbox);
        CompositeReward reward = rewards.create(s.parseWeight());
        GrpoMaConfig rl = rlConfig(s);
        RolloutConfig rollout = rl.rollout();
        MetricsHistory history = new MetricsHistory();
        List<TrainingListener> rlListeners = new ArrayList<>(List.of(new NanGuardListener(), history,
                new CsvMetricsListener(s.outDir().resolve("rl_metrics.csv"))));
        if (progress != null) {
            rlListeners.add(ProgressBars.create(progress, List.of("reward/mean", "accuracy", "grad_norm")));
        }
        print(s, out, "[%s %s] GRPO-MA (%s): %d steps x %d prompts x %d thoughts x %d answers, rewards on %d threads,"
                + " rollouts %s%n", s.shape(), tag, s.estimator(), s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers(),
                s.rewardThreads(), executors.describe());
        RunTimer rlTimer = new RunTimer();
        TrainingResult rlResult = GrpoMaTrainer.builder().policy(policy).tokenizer(tok)
                .promptSource(new CodePromptSource(s.task(), tok)).reward(reward).config(rl).listeners(rlListeners)
                .parallelRewards(s.rewardThreads(), Duration.ofMillis(s.rewardTimeoutMs()))
                .checkpointDirectory(s.outDir().resolve("checkpoints")).runName("code-" + s.shape())
                .rolloutExecutor(executors.factory(CodeWorkerSpec.of(s))).build().fit();
        double rlSeconds = rlTimer.seconds();

        CodeEval heldAfter = evaluator.evaluate(heldOut, s.seed() + 1);
        CodeEval combosAfter = evaluator.evaluate(combos, s.seed() + 2);
        CodeResult result = new CodeResult(s, sftSeconds, rlSeconds, heldBefore, heldAfter, combosBefore, combosAfter,
                executors.scoresWithTrainerRewards() ? rewards.failures() : Map.of(), history.rows(), rlResult.lastCheckpoint().map(Path::toString).orElse(""));
        CodeOutputs.write(result, s.outDir(), CodeOutputs.samples(policy.decoder(), tok, new CodeRewards(sandbox), s.parseWeight(),
                heldOut.subList(0, Math.min(4, heldOut.size())), rollout, s.seed() + 4));
        return result;
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
                .checkpointEvery(Math.max(1, s.rlSteps())).keepCheckpoints(1).build();
    }

    private static void print(CodeSettings s, PrintStream out, String format, Object... args) {
        if (!s.quiet()) {
            out.printf(Locale.ROOT, format, args);
        }
    }
}
