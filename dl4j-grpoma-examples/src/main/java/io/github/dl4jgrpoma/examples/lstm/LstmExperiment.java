package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.dl4j.GrpoMaCheckpoints;
import io.github.dl4jgrpoma.dl4j.RecurrentNetworkDecoder;
import io.github.dl4jgrpoma.dl4j.OffHeapGcListener;
import io.github.dl4jgrpoma.examples.math.EvalResult;
import io.github.dl4jgrpoma.examples.math.MathEvaluator;
import io.github.dl4jgrpoma.examples.math.MathPromptSource;
import io.github.dl4jgrpoma.checkpoint.CheckpointException;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.ResumedMetrics;
import io.github.dl4jgrpoma.examples.math.Operation;
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
import java.util.Set;
import java.util.Locale;
import java.util.Optional;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code bin/grpoma lstm}: the math task with an ordinary DL4J LSTM {@code MultiLayerNetwork}. SFT with plain
 * {@code net.fit} on traces, held-out evaluation, GRPO-MA through {@code net.fit(GrpoMaDataSetIterator)}, evaluation
 * again (the code between is {@link LstmPipeline}). Outputs as {@code math}: {@code rl_metrics.csv},
 * {@code reward.png}, {@code accuracy.png}, {@code samples.txt}, {@code summary.txt}, {@code sft_metrics.csv},
 * {@code config.json}, {@code checkpoints/sft}, {@code checkpoints/rl} and {@code checkpoints/final.zip}.
 */
public final class LstmExperiment {
    private LstmExperiment() {
    }

    /** Settings a resumed run may change. */
    static final List<String> RESUMABLE = List.of("rlSteps", "evalProblems", "evalSamples");

    /** What a run measured. */
    public record Result(LstmSettings settings, EvalResult heldOutBefore, EvalResult heldOutAfter, EvalResult oodBefore,
                         EvalResult oodAfter, List<StepEvent> steps, double sftSeconds, double rlSeconds) {
    }

    /**
     * Runs SFT, evaluation, GRPO-MA and evaluation; writes {@code config.json}, checkpoints and the outputs to
     * {@code dir}. With {@code resume} each phase continues from its newest checkpoint ({@link LstmCheckpoints}) exactly
     * as an uninterrupted run: SFT batch {@code i} and RL step {@code j} are functions of the seed and the index, and
     * the checkpoints hold the Adam state; the evaluation after SFT is recomputed from the last SFT checkpoint.
     *
     * @param dir the run folder (created if missing; the command locks it, see {@code RunDirectory})
     * @throws CheckpointException when resuming with settings other than the run's (beyond {@code rlSteps},
     *                             {@code evalProblems}, {@code evalSamples}) or from an unreadable checkpoint
     */
    public static Result run(LstmSettings s, Path dir, boolean resume, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        Path sftDir = dir.resolve("checkpoints").resolve("sft");
        Path rlDir = dir.resolve("checkpoints").resolve("rl");
        Optional<LstmCheckpoints.Saved> sftSaved = resume ? LstmCheckpoints.newest(sftDir) : Optional.empty();
        Optional<LstmCheckpoints.Saved> rlSaved = resume ? LstmCheckpoints.newest(rlDir) : Optional.empty();
        if (resume) {
            checkResumable(s, dir, rlSaved.map(LstmCheckpoints.Saved::step).orElse(0L));
        }
        ConfigJson.write(dir.resolve("config.json"), s);
        Nd4j.getRandom().setSeed(s.seed());
        CharTokenizer tok = new CharTokenizer(MathTask.ALPHABET);
        String tag = "seed " + s.seed();
        out.printf(Locale.ROOT, "[SFT %s] SFT warm-up: %s (%.0f%% with a mistake), ops %s, %d-%d digits%n",
                tag, ReportText.sftPlan(s.sftSteps(), s.sftBatch()), 100 * s.mistakeRate(), ops(s), s.task().minDigits(),
                s.task().maxDigits());
        RunTimer sftTimer = new RunTimer();
        long sftDone = sftSaved.map(LstmCheckpoints.Saved::step).orElse(0L);
        MultiLayerNetwork net;
        double sftLoss;
        if (rlSaved.isPresent() || (s.sftSteps() > 0 && sftDone >= s.sftSteps())) {
            net = sftFinal(s, tok, sftDir);
            List<StepEvent> kept = ResumedMetrics.truncateAndRead(dir.resolve("sft_metrics.csv"), s.sftSteps());
            sftLoss = kept.isEmpty() ? Double.NaN : kept.get(kept.size() - 1).metric("sft/loss").orElse(Double.NaN);
            out.printf(Locale.ROOT, "[SFT %s] SFT finished before; restored its last checkpoint%n", tag);
        } else {
            net = sftDone == 0 ? LstmPipeline.network(s, tok) : LstmCheckpoints.load(sftSaved.get(), sftDone);
            if (resume) {
                ResumedMetrics.truncateAfter(dir.resolve("sft_metrics.csv"), sftDone, 1);
                out.printf(Locale.ROOT, "[SFT %s] resuming SFT after step %d%n", tag, sftDone);
            }
            SftTraceBatches batches = new SftTraceBatches(s, tok);
            SftListenerBridge sftBridge = new SftListenerBridge(batches, s.sftBatch(), sftDone, s.sftSteps(), List.of(
                    new NanGuardListener(), new LogLineListener(100), new CsvMetricsListener(dir.resolve("sft_metrics.csv"))));
            LstmPipeline.warmUp(net, new ExistingDataSetIterator(batches.from(sftDone)), new OffHeapGcListener(1), sftBridge,
                    LstmCheckpoints.saver(sftDir, sftDone, s.sftSteps(), LstmCheckpoints.SFT_EVERY));
            sftLoss = sftBridge.lastLoss();
        }
        double sftSeconds = sftTimer.seconds();
        EvalResult heldBefore = evaluate(s, net, tok, false);
        EvalResult oodBefore = evaluate(s, net, tok, true);
        out.printf(Locale.ROOT, "[SFT %s] after SFT (%.0f s, loss %.3f): held-out greedy %.3f, pass@1 %s | OOD greedy %.3f%n",
                tag, sftSeconds, sftLoss, heldBefore.greedyAccuracy(),
                ReportText.scoreOr(heldBefore.sampledPass1(), "n/a (--eval-samples 0)"), oodBefore.greedyAccuracy());

        List<StepEvent> steps = new ArrayList<>();
        int rlDone = rlSaved.map(c -> (int) c.step()).orElse(0);
        if (rlSaved.isPresent()) {
            net = LstmCheckpoints.load(rlSaved.get(), s.sftSteps() + rlDone);
            if (rlDone > 0) {
                out.printf(Locale.ROOT, "[%s %s] resuming RL after step %d%n", s.shape(), tag, rlDone);
            }
        }
        if (resume) {
            steps.addAll(ResumedMetrics.truncateAndRead(dir.resolve("rl_metrics.csv"), rlDone));
        }
        TrainingListener history = new TrainingListener() {
            @Override
            public ListenerResponse onStep(StepEvent event) {
                steps.add(event);
                return ListenerResponse.CONTINUE;
            }
        };
        List<TrainingListener> listeners = List.of(new NanGuardListener(), history, new LogLineListener(25),
                new CsvMetricsListener(dir.resolve("rl_metrics.csv")));
        out.printf(Locale.ROOT, "[%s %s] GRPO-MA through net.fit(GrpoMaDataSetIterator): %s%n", s.shape(), tag,
                ReportText.rlPlan(s.rlSteps(), s.promptsPerStep(), s.thoughts(), s.answers()));
        RunTimer rlTimer = new RunTimer();
        if (rlDone < s.rlSteps()) {
            LstmPipeline.reinforce(net, s, tok, new MathPromptSource(s.task(), tok), listeners, rlDone,
                    LstmCheckpoints.saver(rlDir, rlDone, s.rlSteps(), LstmCheckpoints.RL_EVERY));
        }
        double rlSeconds = rlTimer.seconds();
        EvalResult heldAfter = evaluate(s, net, tok, false);
        EvalResult oodAfter = evaluate(s, net, tok, true);
        Files.createDirectories(dir.resolve("checkpoints"));
        GrpoMaCheckpoints.save(net, dir.resolve("checkpoints").resolve("final.zip").toFile());
        Result r = new Result(s, heldBefore, heldAfter, oodBefore, oodAfter, List.copyOf(steps), sftSeconds, rlSeconds);
        write(r, dir);
        return r;
    }

    /** The network at the end of SFT: its last checkpoint, or the initial network when there is no SFT. */
    private static MultiLayerNetwork sftFinal(LstmSettings s, CharTokenizer tok, Path sftDir) throws IOException {
        if (s.sftSteps() == 0) {
            return LstmPipeline.network(s, tok);
        }
        LstmCheckpoints.Saved last = LstmCheckpoints.newest(sftDir).filter(c -> c.step() == s.sftSteps()).orElseThrow(
                () -> new CheckpointException("the run has RL checkpoints but no SFT checkpoint of step " + s.sftSteps()
                        + " in " + sftDir + "; fix: start over with --overwrite"));
        return LstmCheckpoints.load(last, s.sftSteps());
    }

    /** A resume must keep every setting that shaped the weights so far; more or fewer RL steps are fine. */
    private static void checkResumable(LstmSettings s, Path dir, long rlDone) throws IOException {
        try {
            LstmCommand.FLAGS.requireResumable(dir, s, Set.copyOf(RESUMABLE), "");
        } catch (io.github.dl4jgrpoma.examples.UsageException e) {
            throw new CheckpointException(e.getMessage());
        }
        if (rlDone > s.rlSteps()) {
            throw new CheckpointException("--resume: the run has done " + rlDone + " RL steps, more than rlSteps = "
                    + s.rlSteps() + "; fix: give --rl-steps " + rlDone + " or more");
        }
    }

    private static String ops(LstmSettings s) {
        return String.join(",", s.task().operationList().stream().map(Operation::cliName).toList());
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
                ops(s), s.task().minDigits(), s.task().maxDigits(), s.shape(), s.seed()));
        sb.append(String.format(Locale.ROOT, "model: LSTM %d units, max length %d; SFT: %d x %s in %.0f s; RL: %s in %.0f s%n",
                s.hidden(), s.maxLength(), s.sftSteps(), ReportText.count(s.sftBatch(), "trace"), r.sftSeconds(),
                ReportText.count(r.steps().size(), "step"), r.rlSeconds()));
        sb.append(String.format(Locale.ROOT, "%-34s %10s %10s%n", "", "after SFT", "after RL"));
        row(sb, "held-out greedy accuracy", r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy());
        row(sb, "held-out sampled pass@1", r.heldOutBefore().sampledPass1(), r.heldOutAfter().sampledPass1());
        row(sb, "OOD (" + (s.task().maxDigits() + 1) + " digits) greedy accuracy", r.oodBefore().greedyAccuracy(),
                r.oodAfter().greedyAccuracy());
        row(sb, "OOD sampled pass@1", r.oodBefore().sampledPass1(), r.oodAfter().sampledPass1());
        sb.append(String.format(Locale.ROOT, "(%d held-out and %d OOD problems, disjoint from training%s)%n",
                r.heldOutAfter().problems(), r.oodAfter().problems(),
                s.evalSamples() == 0 ? "; pass@1 not measured (--eval-samples 0)" : ""));
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, double before, double after) {
        sb.append(ReportText.beforeAfter(34, name, before, after));
    }
}
