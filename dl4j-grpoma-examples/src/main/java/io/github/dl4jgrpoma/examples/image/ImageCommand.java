package io.github.dl4jgrpoma.examples.image;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ConfigOptions;
import io.github.dl4jgrpoma.examples.ConfigOptions.Flag;
import io.github.dl4jgrpoma.examples.PhaseTimes;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.multimodal.data.DataFileException;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.multimodal.data.MnistSplit;

/**
 * {@code bin/grpoma image}: a vision-language policy (CNN or patch encoder as image-token prefix of a small
 * transformer) on real MNIST. Task {@code digit-sum} reads two digits and adds them; {@code locate} names a digit
 * and boxes it on a larger canvas (IoU reward). SFT warm-up on train-split traces with controlled mistakes, then
 * GRPO-MA (T4A4), with test-split metrics before and after RL. Run folder, {@code --resume}, {@code --overwrite}
 * and {@code --config} as for {@code math}.
 */
public final class ImageCommand implements Command {
    /** Every flag of {@code bin/grpoma image}, each setting one field of {@link ImageSettings}. */
    static final ConfigOptions<ImageSettings> FLAGS = new ConfigOptions<>(ImageSettings.class, List.of(
            Flag.of("task", "task", "NAME", "digit-sum (two digits side by side, answer their sum) or locate (box one digit, IoU)"),
            Flag.of("seed", "seed", "N", "seed of everything (model init, data, sampling)"),
            Flag.of("encoder", "encoder", "NAME", "vision encoder: cnn (3 conv blocks) or patch (ViT-style patches)"),
            Flag.of("width", "width", "N", "transformer width"),
            Flag.of("layers", "layers", "N", "transformer layers"),
            Flag.of("heads", "heads", "N", "attention heads"),
            Flag.of("sft-steps", "sftSteps", "N", "SFT warm-up steps"),
            Flag.of("sft-batch", "sftBatch", "N", "traces per SFT step"),
            Flag.of("sft-lr", "sftLr", "X", "SFT learning rate"),
            Flag.of("mistake-rate", "mistakeRate", "X", "fraction of SFT traces with one wrong reading (digit, class or box edge)"),
            Flag.of("rl-steps", "rlSteps", "N", "GRPO-MA steps"),
            Flag.of("k", "thoughts", "N", "thoughts per prompt (K)"),
            Flag.of("m", "answers", "N", "answers per thought (M); M=1 with --estimator grpo is plain GRPO"),
            Flag.of("prompts", "promptsPerStep", "N", "prompts per RL step"),
            Flag.of("lr", "rlLr", "X", "RL learning rate"),
            Flag.of("lr-schedule", "lrSchedule", "NAME", "learning rate of SFT and RL: constant, or linear (to 0 over the phase's steps)"),
            Flag.of("temperature", "temperature", "X", "sampling temperature"),
            Flag.of("estimator", "estimator", "NAME", "advantage estimator: grpo-ma, grpo (needs --m 1), dr-grpo"),
            Flag.of("beta", "beta", "X", "KL coefficient to the SFT policy (0: no reference model)"),
            Flag.of("format-weight", "formatWeight", "X", "digit-sum: weight of the format reward (answer is a number)"),
            Flag.of("class-weight", "classWeight", "X", "locate: weight of the class reward (thought is the digit's class)"),
            Flag.of("eval-problems", "evalProblems", "N", "test-split problems evaluated before and after RL"),
            Flag.of("eval-samples", "evalSamples", "N", "samples per problem for the sampled score (0: greedy only)")));
    /** What an image run writes into its folder (their presence means the folder holds a run). */
    static final List<String> OUTPUTS = List.of("config.json", PhaseTimes.FILE, "checkpoints", "summary.txt", "samples.txt",
            "reward.png", "grad_norm.png", "sft_metrics.csv", "rl_metrics.csv");
    static final String DEFAULT_OUT = "runs/image";
    /** What a resume may change when the learning rate decays over each phase's steps: only the evaluation. */
    static final Set<String> RESUMABLE_LINEAR = Set.of("evalProblems", "evalSamples");

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String summary() {
        return "vision-language GRPO-MA on real MNIST: digit-sum or locate, test-split accuracy/IoU before/after";
    }

    /** The options of a command built on image runs, without the {@code excluded} flags. */
    static Options options(String defaultOut, Set<String> excluded) {
        Options o = new Options();
        RunDirectory.addOptions(o, defaultOut, "config.json, metrics CSVs, PNG plots, samples, summary, checkpoints");
        o.addOption(Option.builder().longOpt("data").hasArg().argName("DIR").desc("folder with the four MNIST IDX files"
                + " (default $" + MnistImages.DATA_ENV + "/mnist or ~/.grpoma/data/mnist)").build());
        FLAGS.addTo(o, ImageSettings.defaults(), excluded);
        return o;
    }

    /** The settings of a run: defaults (or the run's config.json with --resume), then --config FILE, then flags. */
    static ImageSettings settings(CommandLine cl, String defaultOut) throws UsageException {
        return FLAGS.parseRun(cl, ImageSettings.defaults(), defaultOut);
    }

    /** The MNIST splits ({@code --data} or the default folder); a missing or corrupt file is a usage error. */
    static MnistImages[] data(CommandLine cl) throws UsageException {
        try {
            Path data = cl.hasOption("data") ? Path.of(cl.getOptionValue("data")) : MnistImages.dataDirectory();
            return new MnistImages[] {MnistImages.load(data, MnistSplit.TRAIN), MnistImages.load(data, MnistSplit.TEST)};
        } catch (DataFileException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options(DEFAULT_OUT, Set.of());
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary() + ". Needs MNIST: bash scripts/fetch-mnist.sh (bin/grpoma runs it)."
                    + " Data directory: $" + MnistImages.DATA_ENV + "/mnist or ~/.grpoma/data/mnist.", options);
            return 0;
        }
        ImageSettings s = settings(cl, DEFAULT_OUT);
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, OUTPUTS)) {
            dir.requireSftUnchangedOnceRlStarted(s.sftSteps());
            if (dir.resume()) {
                boolean linear = ImageSettings.LINEAR.equals(s.lrSchedule());
                FLAGS.requireResumable(dir.path(), s, linear ? RESUMABLE_LINEAR : ConfigOptions.RUN_RESUMABLE,
                        linear ? " (with --lr-schedule linear the learning rate falls to 0 over each phase's steps, so"
                                + " a phase cannot be lengthened)" : "");
            }
            MnistImages[] data = data(cl);
            RunTimer timer = new RunTimer();
            ImageResult r = ImageExperiment.run(s, dir.path(), dir.resume(), data[0], data[1], out, err);
            out.println();
            out.print(ImageOutputs.summary(r));
            out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(config.json, summary.txt, samples.txt,"
                    + " *.png, *_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), dir.path());
        }
        return 0;
    }
}
