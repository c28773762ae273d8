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

import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.examples.MetricsHistory;
import io.github.dl4jgrpoma.examples.ProgressBars;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.SampleRollouts;
import io.github.dl4jgrpoma.listener.CsvMetricsListener;
import io.github.dl4jgrpoma.listener.NanGuardListener;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.multimodal.VisionLanguagePolicies;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
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
 * test split, GRPO-MA on train-split prompts, the same evaluation again; metrics, plots, samples and the final
 * checkpoint go to {@link ImageSettings#outDir()}. Training draws only from the 60k train split, evaluation only
 * from the 10k test split.
 */
public final class ImageExperiment {
    /** Most SFT traces kept in memory (each holds its image). */
    static final int MAX_SFT_TRACES = 20_000;

    private ImageExperiment() {
    }

    /**
     * Runs everything: training data only from {@code train} (the MNIST train split), evaluation only from
     * {@code test} (the test split); tests pass generated images.
     *
     * @param progress where progress bars are drawn (null for none)
     */
    public static ImageResult run(ImageSettings s, MnistImages train, MnistImages test, PrintStream out, PrintStream progress)
            throws IOException {
        Files.createDirectories(s.outDir());
        ImageTask task = s.task();
        Tokenizer tok = new CharTokenizer(task.alphabet());
        TransformerPolicy policy = VisionLanguagePolicies.create(TransformerConfig.builder().vocabSize(tok.vocabSize())
                .width(s.width()).layers(s.layers()).heads(s.heads()).maxLength(s.maxLength()).seed(s.seed()).build(),
                s.visionEncoder(), s.seed() * 7919 + 13);
        ImagePrompts trainPrompts = new ImagePrompts(task, train, tok, "train");
        ImagePrompts testPrompts = new ImagePrompts(task, test, tok, "test");
        List<ImageProblem> heldOut = testPrompts.problems(s.evalProblems(), new SplittableRandom(s.seed() * 31 + 7), 0);
        String tag = task.name() + " " + s.shape() + " seed " + s.seed();

        // phase 1: SFT warm-up on train-split traces, a fraction with a wrong reading
        RunTimer sftTimer = new RunTimer();
        int traces = (int) Math.min(MAX_SFT_TRACES, Math.max(1L, (long) s.sftSteps() * s.sftBatch()));
        List<SftExample> examples = new ArrayList<>(traces);
        for (ImageProblem p : trainPrompts.problems(traces, new SplittableRandom(s.seed() * 1_000_003L + 1), s.mistakeRate())) {
            examples.add(trainPrompts.trace(p));
        }
        List<TrainingListener> sftListeners = new ArrayList<>(List.of(new NanGuardListener(),
                new CsvMetricsListener(s.outDir().resolve("sft_metrics.csv"))));
        if (progress != null) {
            sftListeners.add(ProgressBars.create(progress, List.of("sft/loss", "sft/token_acc")));
        }
        if (!s.quiet()) {
            out.printf(Locale.ROOT, "[%s] %s encoder: %d image tokens; SFT warm-up: %d steps x %d traces (%.0f%% with a mistake)%n",
                    tag, s.encoder(), policy.prefixLength(), s.sftSteps(), s.sftBatch(), 100 * s.mistakeRate());
        }
        SftConfig sftConfig = SftConfig.of(s.sftSteps()).withBatchSize(s.sftBatch())
                .withOptimizer(OptimizerConfig.defaults().withLearningRate(s.sftLr())).withSeed(s.seed());
        TrainingResult sft = new SftTrainer(policy, tok, examples, sftConfig, sftListeners, null).fit();
        examples.clear();
        double sftSeconds = sftTimer.seconds();
        ImageEvaluator evaluator = new ImageEvaluator(policy.decoder(), tok, testPrompts, s);
        ImageEvalResult before = evaluator.evaluate(heldOut, s.evalSamples(), s.seed() + 1);
        if (!s.quiet()) {
            out.printf(Locale.ROOT, "[%s] after SFT (%.0f s, loss %.3f): test reading %.3f, greedy %s %.3f, sampled %.3f%n", tag,
                    sftSeconds, sft.finalMetrics().getOrDefault("sft/loss", Double.NaN), before.readingAccuracy(),
                    task.scoreName(), before.greedyScore(), before.sampledScore());
        }

        // phase 2: GRPO-MA on train-split prompts
        CompositeReward reward = ImageRewards.create(task, s.formatWeight(), s.classWeight());
        RolloutConfig rollout = RolloutConfig.builder().thoughts(s.thoughts()).answersPerThought(s.answers())
                .maxThoughtTokens(s.maxThoughtTokens()).maxAnswerTokens(s.maxAnswerTokens()).temperature(s.temperature())
                .endOfThoughtToken(tok.endOfThought()).answerStopTokens(Set.of(tok.eos())).build();
        GrpoMaConfig rl = GrpoMaConfig.builder().rollout(rollout).estimator(s.estimator())
                .loss(LossConfig.builder().beta(s.beta()).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(s.rlLr())).promptsPerStep(s.promptsPerStep())
                .steps(s.rlSteps()).seed(s.seed()).accuracyReward(ImageRewards.accuracyReward(task))
                .checkpointEvery(Math.max(1, s.rlSteps())).keepCheckpoints(1).build();
        MetricsHistory history = new MetricsHistory();
        List<TrainingListener> rlListeners = new ArrayList<>(List.of(new NanGuardListener(), history,
                new CsvMetricsListener(s.outDir().resolve("rl_metrics.csv"))));
        if (progress != null) {
            rlListeners.add(ProgressBars.create(progress, List.of("reward/mean", "accuracy", "grad_norm")));
        }
        if (!s.quiet()) {
            out.printf(Locale.ROOT, "[%s] GRPO-MA (%s): %d steps x %d prompts x %d thoughts x %d answers%n", tag,
                    s.estimator(), s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers());
        }
        RunTimer rlTimer = new RunTimer();
        long encodedBefore = policy.prefixRowsComputed();
        TrainingResult rlResult = GrpoMaTrainer.builder().policy(policy).tokenizer(tok).promptSource(trainPrompts)
                .reward(reward).config(rl).listeners(rlListeners).checkpointDirectory(s.outDir().resolve("checkpoints"))
                .runName("image-" + task.name() + "-" + s.shape()).build().fit();
        double rlSeconds = rlTimer.seconds();
        long steps = history.rows().size();
        double encodedPerStep = steps == 0 ? 0 : (policy.prefixRowsComputed() - encodedBefore) / (double) steps;

        ImageEvalResult after = evaluator.evaluate(heldOut, s.evalSamples(), s.seed() + 1);
        ImageResult result = new ImageResult(s, sftSeconds, rlSeconds, before, after, history.rows(), encodedPerStep,
                rlResult.lastCheckpoint().map(Path::toString).orElse(""));
        List<ImageProblem> shown = heldOut.subList(0, Math.min(3, heldOut.size()));
        List<String> headers = new ArrayList<>();
        for (ImageProblem p : shown) {
            headers.add(Canvas.ascii(p.pixels(), p.shape().height(), p.shape().width()) + "prompt " + p.promptText()
                    + "   (truth: reading " + task.trueReading(p) + ", " + p.metadata() + ")");
        }
        ImageOutputs.write(result, s.outDir(), SampleRollouts.render(policy.decoder(), tok, reward,
                shown.stream().map(testPrompts::prompt).toList(), headers, rollout, s.seed() + 4));
        return result;
    }
}
