package io.github.dl4jgrpoma.examples.image;

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
import io.github.dl4jgrpoma.data.SftExample;
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
import io.github.dl4jgrpoma.multimodal.VisionLanguagePolicies;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;
import io.github.dl4jgrpoma.train.SftConfig;
import io.github.dl4jgrpoma.train.SftTrainer;
import io.github.dl4jgrpoma.train.TrainingResult;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * One image run: a fresh vision-language policy (vision encoder + projector as image-token prefix of a small
 * transformer), SFT warm-up on traces from the MNIST train split with controlled mistakes, evaluation on the
 * test split, GRPO-MA on train-split prompts, the same evaluation again; {@code config.json}, metrics, plots,
 * samples and checkpoints ({@code checkpoints/sft/}, {@code checkpoints/rl/}) go to the run folder. Training
 * draws only from the 60k train split, evaluation only from the 10k test split.
 *
 * <p><b>Resume.</b> With {@code resume}, each phase restores its newest valid checkpoint (SFT every
 * {@value #SFT_CHECKPOINT_EVERY} steps, RL every {@value #RL_CHECKPOINT_EVERY}, both at their end) and continues
 * from there, as {@code bin/grpoma math} does: every draw is seeded from the seed and the step, so the result is
 * that of an uninterrupted run; the metrics files lose the rows after the checkpoint and then continue.
 */
public final class ImageExperiment {
    /** Most SFT traces kept in memory (each holds its image). */
    static final int MAX_SFT_TRACES = 20_000;
    /** SFT checkpoint interval in steps. */
    static final int SFT_CHECKPOINT_EVERY = 100;
    /** RL checkpoint interval in steps. */
    static final int RL_CHECKPOINT_EVERY = 20;

    private ImageExperiment() {
    }

    /**
     * Runs both phases into {@code dir}: training data only from {@code train} (the MNIST train split), evaluation
     * only from {@code test} (the test split); tests pass generated images.
     *
     * @param resume   continue from the folder's checkpoints (see the class documentation)
     * @param progress where progress bars are drawn (null for none)
     */
    public static ImageResult run(ImageSettings s, Path dir, boolean resume, MnistImages train, MnistImages test,
                                  PrintStream out, PrintStream progress) throws IOException {
        ImageWarmUp w = warmUp(s, dir, resume, train, test, out, progress);
        return reinforce(s, dir, resume, w, train, test, out, progress);
    }

    /** Phase 1: a fresh policy, SFT on train-split traces with mistakes, then the test-split evaluation. */
    public static ImageWarmUp warmUp(ImageSettings s, Path dir, boolean resume, MnistImages train, MnistImages test,
                                     PrintStream out, PrintStream progress) throws IOException {
        Files.createDirectories(dir);
        if (!resume) {
            ConfigJson.write(dir.resolve("config.json"), s);      // a resume rewrites it once its checkpoints accept it
        }
        ImageTask task = s.imageTask();
        Tokenizer tok = tokenizer(task);
        TransformerPolicy policy = VisionLanguagePolicies.create(TransformerConfig.builder().vocabSize(tok.vocabSize())
                .width(s.width()).layers(s.layers()).heads(s.heads()).maxLength(s.maxLength()).seed(s.seed()).build(),
                s.visionEncoder(), s.seed() * 7919 + 13);
        ImagePrompts trainPrompts = new ImagePrompts(task, train, tok, "train");
        String tag = task.name() + " SFT seed " + s.seed();

        RunTimer sftTimer = new RunTimer();
        int traces = (int) Math.min(MAX_SFT_TRACES, Math.max(1L, (long) s.sftSteps() * s.sftBatch()));
        List<SftExample> examples = new ArrayList<>(traces);
        for (ImageProblem p : trainPrompts.problems(traces, new SplittableRandom(s.seed() * 1_000_003L + 1), s.mistakeRate())) {
            examples.add(trainPrompts.trace(p));
        }
        List<TrainingListener> sftListeners = new ArrayList<>(List.of(new NanGuardListener(),
                new CsvMetricsListener(dir.resolve("sft_metrics.csv"))));
        if (progress != null) {
            sftListeners.add(ProgressBars.create(progress, List.of("sft/loss", "sft/token_acc")));
        }
        out.printf(Locale.ROOT, "[%s] %s encoder: %d image tokens; SFT warm-up: %s (%.0f%% with a mistake)%n",
                tag, s.encoder(), policy.prefixLength(), ReportText.sftPlan(s.sftSteps(), s.sftBatch()), 100 * s.mistakeRate());
        SftConfig sftConfig = new SftConfig(s.sftSteps(), s.sftBatch(),
                s.optimizer(s.sftLr(), s.sftSteps()), s.seed(), SFT_CHECKPOINT_EVERY, 2);
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
        examples.clear();
        double sftSeconds = PhaseTimes.report(dir, "sft", !resume || sft.stepsRun() > 0, sftTimer.seconds());
        ImageEvalResult before = evaluator(s, policy, test).evaluate(heldOut(s, test), s.evalSamples(), s.seed() + 1);
        out.printf(Locale.ROOT, "[%s] after SFT (%.0f s, loss %.3f): test reading %.3f, greedy %s %.3f, sampled %s%n", tag,
                sftSeconds, sft.finalMetrics().getOrDefault("sft/loss", lastLoss), before.readingAccuracy(),
                task.scoreName(), before.greedyScore(), ReportText.scoreOr(before.sampledScore(), "n/a (--eval-samples 0)"));
        return new ImageWarmUp(policy, sftSeconds, before);
    }

    /**
     * Phase 2: GRPO-MA on train-split prompts from the warmed-up policy (trained in place; resumed from
     * {@code dir/checkpoints/rl} with {@code resume}), then the test-split evaluation again and the outputs.
     */
    public static ImageResult reinforce(ImageSettings s, Path dir, boolean resume, ImageWarmUp warm, MnistImages train,
                                        MnistImages test, PrintStream out, PrintStream progress) throws IOException {
        Files.createDirectories(dir);
        if (!resume) {
            ConfigJson.write(dir.resolve("config.json"), s);      // a resume rewrites it once its checkpoints accept it
        }
        ImageTask task = s.imageTask();
        Tokenizer tok = tokenizer(task);
        TransformerPolicy policy = warm.policy();
        ImagePrompts trainPrompts = new ImagePrompts(task, train, tok, "train");
        ImagePrompts testPrompts = new ImagePrompts(task, test, tok, "test");
        String tag = task.name() + " " + s.shape() + " seed " + s.seed();
        CompositeReward reward = ImageRewards.create(task, s.formatWeight(), s.classWeight());
        RolloutConfig rollout = RolloutConfig.builder().thoughts(s.thoughts()).answersPerThought(s.answers())
                .maxThoughtTokens(s.maxThoughtTokens()).maxAnswerTokens(s.maxAnswerTokens()).temperature(s.temperature())
                .endOfThoughtToken(tok.endOfThought()).answerStopTokens(Set.of(tok.eos())).build();
        GrpoMaConfig rl = GrpoMaConfig.builder().rollout(rollout).estimator(s.estimator())
                .loss(LossConfig.builder().beta(s.beta()).build())
                .optimizer(s.optimizer(s.rlLr(), s.rlSteps())).promptsPerStep(s.promptsPerStep())
                .steps(s.rlSteps()).seed(s.seed()).accuracyReward(ImageRewards.accuracyReward(task))
                .checkpointEvery(RL_CHECKPOINT_EVERY).keepCheckpoints(2).build();
        MetricsHistory history = new MetricsHistory();
        List<TrainingListener> rlListeners = new ArrayList<>(List.of(new NanGuardListener(), history,
                new CsvMetricsListener(dir.resolve("rl_metrics.csv"))));
        if (progress != null) {
            rlListeners.add(ProgressBars.create(progress, List.of("reward/mean", "accuracy", "grad_norm")));
        }
        out.printf(Locale.ROOT, "[%s] GRPO-MA (%s): %s%n", tag, s.estimator(),
                ReportText.rlPlan(s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers()));
        RunTimer rlTimer = new RunTimer();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(tok).promptSource(trainPrompts)
                .reward(reward).config(rl).listeners(rlListeners).checkpointDirectory(dir.resolve("checkpoints").resolve("rl"))
                .runName("image-" + task.name() + "-" + s.shape()).build();
        long done = 0;
        if (resume) {
            done = trainer.restoreLatest().orElse(0);
            ConfigJson.write(dir.resolve("config.json"), s);      // both phases accepted the settings
            history.preload(ResumedMetrics.truncateAndRead(dir.resolve("rl_metrics.csv"), done));
            if (done > 0) {
                out.printf(Locale.ROOT, "[%s] resuming RL after step %d%n", tag, done);
            }
        }
        long encodedBefore = policy.prefixRowsComputed();
        TrainingResult rlResult = trainer.fit();
        double rlSeconds = PhaseTimes.report(dir, "rl", !resume || rlResult.stepsRun() > 0, rlTimer.seconds());
        long stepsRun = s.rlSteps() - done;
        double encodedPerStep = stepsRun <= 0 ? 0 : (policy.prefixRowsComputed() - encodedBefore) / (double) stepsRun;

        List<ImageProblem> heldOut = heldOut(s, test);
        ImageEvalResult after = evaluator(s, policy, test).evaluate(heldOut, s.evalSamples(), s.seed() + 1);
        ImageResult result = new ImageResult(s, warm.sftSeconds(), rlSeconds, warm.before(), after, history.rows(),
                encodedPerStep, rlResult.lastCheckpoint().map(Path::toString).orElse(""));
        List<ImageProblem> shown = heldOut.subList(0, Math.min(3, heldOut.size()));
        List<String> headers = new ArrayList<>();
        for (ImageProblem p : shown) {
            headers.add(Canvas.ascii(p.pixels(), p.shape().height(), p.shape().width()) + "prompt " + p.promptText()
                    + "   (truth: reading " + task.trueReading(p) + ", " + p.metadata() + ")");
        }
        ImageOutputs.write(result, dir, SampleRollouts.render(policy.decoder(), tok, reward,
                shown.stream().map(testPrompts::prompt).toList(), headers, rollout, s.seed() + 4));
        return result;
    }

    /** The test-split problems every evaluation of a run uses (a function of the task, the split and the seed). */
    static List<ImageProblem> heldOut(ImageSettings s, MnistImages test) {
        ImagePrompts testPrompts = new ImagePrompts(s.imageTask(), test, tokenizer(s.imageTask()), "test");
        return testPrompts.problems(s.evalProblems(), new SplittableRandom(s.seed() * 31 + 7), 0);
    }

    private static ImageEvaluator evaluator(ImageSettings s, TransformerPolicy policy, MnistImages test) {
        ImageTask task = s.imageTask();
        return new ImageEvaluator(policy.decoder(), tokenizer(task), new ImagePrompts(task, test, tokenizer(task), "test"), s);
    }

    /** The tokenizer of a task's alphabet. */
    static Tokenizer tokenizer(ImageTask task) {
        return new CharTokenizer(task.alphabet());
    }
}
