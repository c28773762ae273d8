package io.github.dl4jgrpoma.examples.math;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.loss.AggregationRegistry;
import io.github.dl4jgrpoma.loss.LossConfig;

/**
 * {@code bin/grpoma math}: the main job. Trains a small transformer from scratch on multi-digit arithmetic
 * with a step-by-step scratchpad: SFT warm-up on traces with mistakes, then GRPO-MA with an exact-answer
 * reward, and prints held-out and out-of-distribution accuracy before and after RL.
 */
public final class MathCommand implements Command {
    /** Defaults of {@code bin/grpoma math}. */
    static final MathSettings DEFAULTS = new MathSettings(MathTask.defaults(), 64, 2, 4, 600, 32, 3e-3, 0.2, 20_000,
            200, 4, 4, 16, 2e-4, 1.0, "grpo-ma", 1, 0.0, 0.1, 200, 4, 25, 1, Path.of("runs/math"), false,
            ThoughtStyle.FULL, LossConfig.DEFAULT_AGGREGATION, LossConfig.DEFAULT_THOUGHT_WEIGHT);

    @Override
    public String name() {
        return "math";
    }

    @Override
    public String summary() {
        return "the main job: SFT warm-up then GRPO-MA on multi-digit arithmetic, accuracy before/after (minutes)";
    }

    static Options options() {
        MathSettings d = DEFAULTS;
        Options o = new Options();
        CliSupport.option(o, "out", "DIR", "output folder: metrics CSVs, PNG plots, samples, summary, final checkpoint", d.outDir());
        CliSupport.option(o, "seed", "N", "seed of everything (model init, data, sampling)", d.seed());
        CliSupport.option(o, "ops", "LIST", "operations: comma-separated add,sub,mul", "add,sub,mul");
        CliSupport.option(o, "thought-style", "STYLE", "scratchpad: full (with carries) or no-carry (the answer applies them)",
                d.thoughtStyle().cliName());
        CliSupport.option(o, "min-digits", "N", "fewest operand digits in training", d.task().minDigits());
        CliSupport.option(o, "max-digits", "N", "most operand digits in training (OOD slice: one more)", d.task().maxDigits());
        CliSupport.option(o, "width", "N", "transformer width", d.width());
        CliSupport.option(o, "layers", "N", "transformer layers", d.layers());
        CliSupport.option(o, "heads", "N", "attention heads", d.heads());
        CliSupport.option(o, "sft-steps", "N", "SFT warm-up steps", d.sftSteps());
        CliSupport.option(o, "sft-batch", "N", "traces per SFT step", d.sftBatch());
        CliSupport.option(o, "sft-lr", "X", "SFT learning rate", d.sftLr());
        CliSupport.option(o, "mistake-rate", "X", "fraction of SFT traces with one wrong column", d.mistakeRate());
        CliSupport.option(o, "rl-steps", "N", "GRPO-MA steps", d.rlSteps());
        CliSupport.option(o, "k", "N", "thoughts per prompt (K)", d.thoughts());
        CliSupport.option(o, "m", "N", "answers per thought (M); M=1 with --estimator grpo is plain GRPO", d.answers());
        CliSupport.option(o, "prompts", "N", "prompts per RL step", d.promptsPerStep());
        CliSupport.option(o, "lr", "X", "RL learning rate", d.rlLr());
        CliSupport.option(o, "temperature", "X", "sampling temperature", d.temperature());
        CliSupport.option(o, "estimator", "NAME", "advantage estimator: grpo-ma, grpo (needs --m 1), dr-grpo", d.estimator());
        CliSupport.option(o, "inner-epochs", "N", "gradient steps per rollout batch", d.innerEpochs());
        CliSupport.option(o, "aggregation", "NAME", "loss aggregation: sequence-mean (paper), token-mean (DAPO), constant (Dr. GRPO)",
                d.aggregation());
        CliSupport.option(o, "thought-weight", "X", "weight w_th of thought-token terms against answer-token terms", d.thoughtWeight());
        CliSupport.option(o, "beta", "X", "KL coefficient to the SFT policy (0: no reference model)", d.beta());
        CliSupport.option(o, "format-weight", "X", "weight of the format reward (answer parses as a number)", d.formatWeight());
        CliSupport.option(o, "eval-problems", "N", "held-out and OOD problems evaluated", d.evalProblems());
        CliSupport.option(o, "eval-samples", "N", "samples per problem for pass@1 (0: greedy only)", d.evalSamples());
        CliSupport.option(o, "eval-every", "N", "held-out greedy evaluation every N RL steps (0: only before and after)", d.evalEvery());
        return o;
    }

    /** Parses the options into settings, starting from {@code base}. */
    static MathSettings parse(CommandLine cl, MathSettings base) throws UsageException {
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (String op : cl.getOptionValue("ops", "add,sub,mul").split(",")) {
            try {
                ops.add(Operation.parse(op));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--ops: " + e.getMessage());
            }
        }
        int minDigits = CliSupport.intOpt(cl, "min-digits", base.task().minDigits(), 1, 7);
        int maxDigits = CliSupport.intOpt(cl, "max-digits", base.task().maxDigits(), minDigits, 7);
        String estimator = cl.getOptionValue("estimator", base.estimator());
        int m = CliSupport.intOpt(cl, "m", base.answers(), 1, 64);
        int k = CliSupport.intOpt(cl, "k", base.thoughts(), 1, 64);
        CliSupport.checkGroupShape(estimator, k, m);
        int width = CliSupport.intOpt(cl, "width", base.width(), 8, 1024);
        int heads = CliSupport.intOpt(cl, "heads", base.heads(), 1, 64);
        CliSupport.checkWidthAndHeads(width, heads);
        try {
            return new MathSettings(new MathTask(ops, minDigits, maxDigits, base.task().heldOutPercent()), width,
                    CliSupport.intOpt(cl, "layers", base.layers(), 1, 48), heads,
                    CliSupport.intOpt(cl, "sft-steps", base.sftSteps(), 0, 1_000_000),
                    CliSupport.intOpt(cl, "sft-batch", base.sftBatch(), 1, 4096),
                    CliSupport.doubleOpt(cl, "sft-lr", base.sftLr(), 1e-7, 1),
                    CliSupport.doubleOpt(cl, "mistake-rate", base.mistakeRate(), 0, 1), base.sftTraces(),
                    CliSupport.intOpt(cl, "rl-steps", base.rlSteps(), 0, 1_000_000), k, m,
                    CliSupport.intOpt(cl, "prompts", base.promptsPerStep(), 1, 4096),
                    CliSupport.doubleOpt(cl, "lr", base.rlLr(), 1e-8, 1),
                    CliSupport.doubleOpt(cl, "temperature", base.temperature(), 1e-3, 100), estimator,
                    CliSupport.intOpt(cl, "inner-epochs", base.innerEpochs(), 1, 100),
                    CliSupport.doubleOpt(cl, "beta", base.beta(), 0, 100),
                    CliSupport.doubleOpt(cl, "format-weight", base.formatWeight(), 0, 10),
                    CliSupport.intOpt(cl, "eval-problems", base.evalProblems(), 1, 100_000),
                    CliSupport.intOpt(cl, "eval-samples", base.evalSamples(), 0, 1000),
                    CliSupport.intOpt(cl, "eval-every", base.evalEvery(), 0, 1_000_000),
                    CliSupport.longOpt(cl, "seed", base.seed()), Path.of(cl.getOptionValue("out", base.outDir().toString())),
                    base.quiet(), ThoughtStyle.parse(cl.getOptionValue("thought-style", base.thoughtStyle().cliName())),
                    aggregation(cl.getOptionValue("aggregation", base.aggregation())),
                    CliSupport.doubleOpt(cl, "thought-weight", base.thoughtWeight(), 0, 100));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static String aggregation(String name) {
        if (!AggregationRegistry.defaults().names().contains(name)) {
            throw new IllegalArgumentException("--aggregation '" + name + "' is unknown; use one of "
                    + AggregationRegistry.defaults().names());
        }
        return name;
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        MathSettings s = parse(cl, DEFAULTS);
        RunTimer timer = new RunTimer();
        MathResult r = MathExperiment.run(s, out, err);
        out.println();
        out.print(MathOutputs.summary(r));
        out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(summary.txt, samples.txt, *.png, "
                + "*_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), s.outDir().toAbsolutePath());
        return 0;
    }
}
