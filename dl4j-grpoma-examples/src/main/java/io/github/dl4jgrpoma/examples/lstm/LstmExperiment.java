package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.dl4j.GrpoMaCheckpoints;
import io.github.dl4jgrpoma.dl4j.RecurrentNetworkDecoder;
import io.github.dl4jgrpoma.dl4j.OffHeapGcListener;
import io.github.dl4jgrpoma.examples.math.EvalResult;
import io.github.dl4jgrpoma.examples.math.MathEvaluator;
import io.github.dl4jgrpoma.examples.math.MathPromptSource;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.plot.LinePlot;
import io.github.dl4jgrpoma.listener.CsvMetricsListener;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.LogLineListener;
import io.github.dl4jgrpoma.listener.NanGuardListener;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.examples.math.MathTask;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code bin/grpoma lstm}: the math task with an ordinary DL4J LSTM {@code MultiLayerNetwork}. SFT with plain
 * {@code net.fit} on traces, held-out evaluation, GRPO-MA through {@code net.fit(GrpoMaDataSetIterator)}, evaluation
 * again (the code between is {@link LstmPipeline}). Outputs as {@code math}: {@code rl_metrics.csv},
 * {@code reward.png}, {@code accuracy.png}, {@code samples.txt}, {@code summary.txt}, {@code checkpoints/final.zip}.
 */
public final class LstmExperiment {
    private LstmExperiment() {
    }

    /** What a run measured. */
    public record Result(LstmSettings settings, EvalResult heldOutBefore, EvalResult heldOutAfter, EvalResult oodBefore,
                         EvalResult oodAfter, List<StepEvent> steps, double sftSeconds, double rlSeconds) {
    }

    /**
     * Runs SFT, evaluation, GRPO-MA and evaluation; writes {@code config.json} and the outputs to {@code dir}.
     *
     * @param dir the run folder (created if missing; the command locks it, see {@code RunDirectory})
     */
    public static Result run(LstmSettings s, Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        ConfigJson.write(dir.resolve("config.json"), s);
        Nd4j.getRandom().setSeed(s.seed());
        CharTokenizer tok = new CharTokenizer(MathTask.ALPHABET);
        String tag = "seed " + s.seed();
        out.printf(Locale.ROOT, "[SFT %s] SFT warm-up: %d steps x %d traces (%.0f%% with a mistake), ops %s, %d-%d digits%n",
                tag, s.sftSteps(), s.sftBatch(), 100 * s.mistakeRate(), s.task().operationList(), s.task().minDigits(),
                s.task().maxDigits());
        RunTimer sftTimer = new RunTimer();
        SftTraceBatches batches = new SftTraceBatches(s, tok);
        SftListenerBridge sftBridge = new SftListenerBridge(batches, s.sftBatch(), s.sftSteps(), List.of(
                new NanGuardListener(), new LogLineListener(100), new CsvMetricsListener(dir.resolve("sft_metrics.csv"))));
        MultiLayerNetwork net = LstmPipeline.warmUp(s, tok, new ExistingDataSetIterator(batches), new OffHeapGcListener(1),
                sftBridge);
        double sftSeconds = sftTimer.seconds();
        EvalResult heldBefore = evaluate(s, net, tok, false);
        EvalResult oodBefore = evaluate(s, net, tok, true);
        out.printf(Locale.ROOT, "[SFT %s] after SFT (%.0f s, loss %.3f): held-out greedy %.3f, pass@1 %.3f | OOD greedy %.3f%n",
                tag, sftSeconds, sftBridge.lastLoss(), heldBefore.greedyAccuracy(), heldBefore.sampledPass1(),
                oodBefore.greedyAccuracy());

        List<StepEvent> steps = new ArrayList<>();
        TrainingListener history = new TrainingListener() {
            @Override
            public ListenerResponse onStep(StepEvent event) {
                steps.add(event);
                return ListenerResponse.CONTINUE;
            }
        };
        List<TrainingListener> listeners = List.of(new NanGuardListener(), history, new LogLineListener(25),
                new CsvMetricsListener(dir.resolve("rl_metrics.csv")));
        out.printf(Locale.ROOT, "[%s %s] GRPO-MA through net.fit(GrpoMaDataSetIterator): %d steps x %d prompts x %d thoughts"
                + " x %d answers%n", s.shape(), tag, s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers());
        RunTimer rlTimer = new RunTimer();
        LstmPipeline.reinforce(net, s, tok, new MathPromptSource(s.task(), tok), listeners);
        double rlSeconds = rlTimer.seconds();
        EvalResult heldAfter = evaluate(s, net, tok, false);
        EvalResult oodAfter = evaluate(s, net, tok, true);
        Files.createDirectories(dir.resolve("checkpoints"));
        GrpoMaCheckpoints.save(net, dir.resolve("checkpoints").resolve("final.zip").toFile());
        Result r = new Result(s, heldBefore, heldAfter, oodBefore, oodAfter, List.copyOf(steps), sftSeconds, rlSeconds);
        write(r, dir);
        return r;
    }

    private static EvalResult evaluate(LstmSettings s, MultiLayerNetwork net, CharTokenizer tok, boolean ood) {
        MathEvaluator evaluator = new MathEvaluator(new RecurrentNetworkDecoder(net, tok.vocabSize(), s.maxLength()), tok,
                s.maxThoughtTokens(), s.maxAnswerTokens(), s.evalSamples(), s.temperature());
        return ood ? evaluator.evaluate(s.task().outOfDistribution(s.evalProblems(), s.seed() * 31 + 11), s.seed() + 2)
                : evaluator.evaluate(s.task().heldOut(s.evalProblems(), s.seed() * 31 + 7), s.seed() + 1);
    }

    private static void write(Result r, Path dir) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double[] x = r.steps().stream().mapToDouble(StepEvent::step).toArray();
        double[] reward = r.steps().stream().mapToDouble(e -> e.metric("reward/mean").orElse(Double.NaN)).toArray();
        double[] acc = r.steps().stream().mapToDouble(e -> e.metric("accuracy").orElse(Double.NaN)).toArray();
        new LinePlot("GRPO-MA on a DL4J LSTM (" + r.settings().shape() + ")", "RL step", "value")
                .add("reward/mean", x, reward).add("accuracy (sampled answers)", x, acc)
                .writePng(dir.resolve("reward.png"));
        new LinePlot("Held-out greedy accuracy", "RL step", "accuracy")
                .add("before RL / after RL", new double[] {0, x.length == 0 ? 0 : x[x.length - 1]},
                        new double[] {r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy()})
                .writePng(dir.resolve("accuracy.png"));
        StringBuilder samples = new StringBuilder("greedy held-out examples after SFT:\n");
        r.heldOutBefore().examples().forEach(e -> samples.append("  ").append(e).append('\n'));
        samples.append("greedy held-out examples after RL:\n");
        r.heldOutAfter().examples().forEach(e -> samples.append("  ").append(e).append('\n'));
        AtomicFiles.writeString(dir.resolve("samples.txt"), samples.toString());
        AtomicFiles.writeString(dir.resolve("summary.txt"), summary(r));
    }

    /** The summary printed at the end and written to {@code summary.txt}. */
    public static String summary(Result r) {
        LstmSettings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "GRPO-MA on a DL4J LSTM MultiLayerNetwork, math task (ops %s, %d-%d digits), %s, seed %d%n",
                s.task().operationList(), s.task().minDigits(), s.task().maxDigits(), s.shape(), s.seed()));
        sb.append(String.format(Locale.ROOT, "model: LSTM %d units, max length %d; SFT: %d x %d traces in %.0f s; RL: %d steps in %.0f s%n",
                s.hidden(), s.maxLength(), s.sftSteps(), s.sftBatch(), r.sftSeconds(), r.steps().size(), r.rlSeconds()));
        sb.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", "", "after SFT", "after RL"));
        row(sb, "held-out greedy accuracy", r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy());
        row(sb, "held-out sampled pass@1", r.heldOutBefore().sampledPass1(), r.heldOutAfter().sampledPass1());
        row(sb, "OOD (" + (s.task().maxDigits() + 1) + " digits) greedy accuracy", r.oodBefore().greedyAccuracy(),
                r.oodAfter().greedyAccuracy());
        row(sb, "OOD sampled pass@1", r.oodBefore().sampledPass1(), r.oodAfter().sampledPass1());
        sb.append(String.format(Locale.ROOT, "(%d held-out and %d OOD problems, disjoint from training)%n",
                r.heldOutAfter().problems(), r.oodAfter().problems()));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double before, double after) {
        sb.append(String.format(Locale.ROOT, "%-34s %10.3f %10.3f%n", name, before, after));
    }
}
