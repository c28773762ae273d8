package io.github.dl4jgrpoma.examples.image;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.multimodal.data.DataFileException;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.multimodal.data.MnistSplit;

/**
 * {@code bin/grpoma image}: a vision-language policy (CNN or patch encoder as image-token prefix of a small
 * transformer) on real MNIST. Task {@code digit-sum} reads two digits and adds them; {@code locate} names a digit
 * and boxes it on a larger canvas (IoU reward). SFT warm-up on train-split traces with controlled mistakes, then
 * GRPO-MA (T4A4), with test-split metrics before and after RL.
 */
public final class ImageCommand implements Command {
    /** Defaults of {@code bin/grpoma image}. */
    static final ImageSettings DEFAULTS = new ImageSettings(new DigitSumTask(), "cnn", 64, 2, 4, 600, 32, 3e-3, 0.2,
            60, 4, 4, 16, 2e-4, 1.0, GrpoMaEstimator.NAME, 0.0, 0.1, 0.2, 300, 4, 1, Path.of("runs/image"), false);

    @Override
    public String name() {
        return "image";
    }

    @Override
    public String summary() {
        return "vision-language GRPO-MA on real MNIST: digit-sum or locate, test-split accuracy/IoU before/after";
    }

    static Options options() {
        ImageSettings d = DEFAULTS;
        Options o = new Options();
        CliSupport.option(o, "task", "NAME", "digit-sum (two digits side by side, answer their sum) or locate (box one digit, IoU)",
                d.task().name());
        CliSupport.option(o, "out", "DIR", "output folder: metrics CSVs, PNG plots, samples, summary, final checkpoint", d.outDir());
        CliSupport.option(o, "seed", "N", "seed of everything (model init, data, sampling)", d.seed());
        CliSupport.option(o, "data", "DIR", "folder with the four MNIST IDX files", "$" + MnistImages.DATA_ENV + "/mnist or ~/.grpoma/data/mnist");
        CliSupport.option(o, "encoder", "NAME", "vision encoder: cnn (3 conv blocks) or patch (ViT-style patches)", d.encoder());
        CliSupport.option(o, "width", "N", "transformer width", d.width());
        CliSupport.option(o, "layers", "N", "transformer layers", d.layers());
        CliSupport.option(o, "heads", "N", "attention heads", d.heads());
        CliSupport.option(o, "sft-steps", "N", "SFT warm-up steps", d.sftSteps());
        CliSupport.option(o, "sft-batch", "N", "traces per SFT step", d.sftBatch());
        CliSupport.option(o, "sft-lr", "X", "SFT learning rate", d.sftLr());
        CliSupport.option(o, "mistake-rate", "X", "fraction of SFT traces with one wrong reading (digit, class or box edge)",
                d.mistakeRate());
        CliSupport.option(o, "rl-steps", "N", "GRPO-MA steps", d.rlSteps());
        CliSupport.option(o, "k", "N", "thoughts per prompt (K)", d.thoughts());
        CliSupport.option(o, "m", "N", "answers per thought (M)", d.answers());
        CliSupport.option(o, "prompts", "N", "prompts per RL step", d.promptsPerStep());
        CliSupport.option(o, "lr", "X", "RL learning rate", d.rlLr());
        CliSupport.option(o, "temperature", "X", "sampling temperature", d.temperature());
        CliSupport.option(o, "estimator", "NAME", "advantage estimator: grpo-ma, grpo (needs --m 1), dr-grpo", d.estimator());
        CliSupport.option(o, "beta", "X", "KL coefficient to the SFT policy (0: no reference model)", d.beta());
        CliSupport.option(o, "format-weight", "X", "digit-sum: weight of the format reward (answer is a number)", d.formatWeight());
        CliSupport.option(o, "class-weight", "X", "locate: weight of the class reward (thought is the digit's class)", d.classWeight());
        CliSupport.option(o, "eval-problems", "N", "test-split problems evaluated before and after RL", d.evalProblems());
        CliSupport.option(o, "eval-samples", "N", "samples per problem for the sampled score (0: greedy only)", d.evalSamples());
        return o;
    }

    /** Parses the options into settings, starting from {@code base}. */
    static ImageSettings parse(CommandLine cl, ImageSettings base) throws UsageException {
        String estimator = cl.getOptionValue("estimator", base.estimator());
        int m = CliSupport.intOpt(cl, "m", base.answers(), 1, 64);
        int k = CliSupport.intOpt(cl, "k", base.thoughts(), 1, 64);
        CliSupport.checkShape(estimator, k, m);
        int width = CliSupport.intOpt(cl, "width", base.width(), 8, 1024);
        int heads = CliSupport.intOpt(cl, "heads", base.heads(), 1, 64);
        CliSupport.checkWidthHeads(width, heads);
        try {
            return new ImageSettings(ImageTask.byName(cl.getOptionValue("task", base.task().name())),
                    cl.getOptionValue("encoder", base.encoder()), width,
                    CliSupport.intOpt(cl, "layers", base.layers(), 1, 48), heads,
                    CliSupport.intOpt(cl, "sft-steps", base.sftSteps(), 0, 1_000_000),
                    CliSupport.intOpt(cl, "sft-batch", base.sftBatch(), 1, 4096),
                    CliSupport.doubleOpt(cl, "sft-lr", base.sftLr(), 1e-7, 1),
                    CliSupport.doubleOpt(cl, "mistake-rate", base.mistakeRate(), 0, 1),
                    CliSupport.intOpt(cl, "rl-steps", base.rlSteps(), 0, 1_000_000), k, m,
                    CliSupport.intOpt(cl, "prompts", base.promptsPerStep(), 1, 4096),
                    CliSupport.doubleOpt(cl, "lr", base.rlLr(), 1e-8, 1),
                    CliSupport.doubleOpt(cl, "temperature", base.temperature(), 1e-3, 100), estimator,
                    CliSupport.doubleOpt(cl, "beta", base.beta(), 0, 100),
                    CliSupport.doubleOpt(cl, "format-weight", base.formatWeight(), 0, 10),
                    CliSupport.doubleOpt(cl, "class-weight", base.classWeight(), 0, 10),
                    CliSupport.intOpt(cl, "eval-problems", base.evalProblems(), 1, 10_000),
                    CliSupport.intOpt(cl, "eval-samples", base.evalSamples(), 0, 1000),
                    CliSupport.longOpt(cl, "seed", base.seed()), Path.of(cl.getOptionValue("out", base.outDir().toString())),
                    base.quiet());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary() + ". Needs MNIST: bash scripts/fetch-mnist.sh (bin/grpoma runs it)."
                    + " Data directory: $" + MnistImages.DATA_ENV + "/mnist or ~/.grpoma/data/mnist.", options);
            return 0;
        }
        ImageSettings s = parse(cl, DEFAULTS);
        RunTimer timer = new RunTimer();
        ImageResult r;
        try {
            Path data = cl.hasOption("data") ? Path.of(cl.getOptionValue("data")) : MnistImages.dataDirectory();
            r = ImageExperiment.run(s, MnistImages.load(data, MnistSplit.TRAIN), MnistImages.load(data, MnistSplit.TEST), out, err);
        } catch (DataFileException e) {
            throw new UsageException(e.getMessage());
        }
        out.println();
        out.print(ImageOutputs.summary(r));
        out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(summary.txt, samples.txt, *.png, "
                + "*_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), s.outDir().toAbsolutePath());
        return 0;
    }
}
