package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.examples.math.MathTask;
import io.github.dl4jgrpoma.examples.math.Operation;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code bin/grpoma lstm}: GRPO-MA inside an ordinary DL4J pipeline. An LSTM {@code MultiLayerNetwork} learns the
 * {@code math} task: SFT with plain {@code net.fit} on traces, then GRPO-MA with {@code net.fit} on a
 * {@code GrpoMaDataSetIterator}; held-out accuracy before and after RL.
 */
public final class LstmCommand implements Command {
    /** Defaults of {@code bin/grpoma lstm}. */
    static final LstmSettings DEFAULTS = new LstmSettings(MathTask.defaults(), 128, 600, 32, 3e-3, 0.2, 150, 4, 4, 8, 5e-4,
            1.0, 0.1, 200, 4, 1, Path.of("runs/lstm"));

    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String summary() {
        return "math task with a DL4J LSTM MultiLayerNetwork: plain net.fit SFT, then GRPO-MA via net.fit(iterator)";
    }

    static Options options() {
        LstmSettings d = DEFAULTS;
        Options o = new Options();
        opt(o, "out", "DIR", "output folder: rl_metrics.csv, PNG plots, samples, summary, final checkpoint", d.outDir());
        opt(o, "seed", "N", "seed of everything (init, data, sampling)", d.seed());
        opt(o, "ops", "LIST", "operations: comma-separated add,sub,mul", "add,sub,mul");
        opt(o, "hidden", "N", "LSTM units", d.hidden());
        opt(o, "sft-steps", "N", "SFT minibatches (plain net.fit)", d.sftSteps());
        opt(o, "sft-batch", "N", "traces per SFT minibatch", d.sftBatch());
        opt(o, "sft-lr", "X", "SFT learning rate (Adam)", d.sftLr());
        opt(o, "mistake-rate", "X", "fraction of SFT traces with one wrong column", d.mistakeRate());
        opt(o, "rl-steps", "N", "GRPO-MA steps", d.rlSteps());
        opt(o, "k", "N", "thoughts per prompt (K)", d.thoughts());
        opt(o, "m", "N", "answers per thought (M)", d.answers());
        opt(o, "prompts", "N", "prompts per RL step", d.prompts());
        opt(o, "lr", "X", "RL learning rate (Adam)", d.rlLr());
        opt(o, "temperature", "X", "sampling temperature", d.temperature());
        opt(o, "eval-problems", "N", "held-out and OOD problems evaluated", d.evalProblems());
        opt(o, "eval-samples", "N", "samples per problem for pass@1 (0: greedy only)", d.evalSamples());
        return o;
    }

    private static void opt(Options o, String name, String arg, String desc, Object def) {
        o.addOption(Option.builder().longOpt(name).hasArg().argName(arg).desc(desc + " (default " + def + ")").build());
    }

    /** Parses the options into settings, starting from {@code base}. */
    static LstmSettings parse(CommandLine cl, LstmSettings base) throws UsageException {
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (String op : cl.getOptionValue("ops", "add,sub,mul").split(",")) {
            try {
                ops.add(Operation.parse(op));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--ops: " + e.getMessage());
            }
        }
        int k = CliSupport.intOpt(cl, "k", base.thoughts(), 1, 64);
        int m = CliSupport.intOpt(cl, "m", base.answers(), 1, 64);
        if (k * m < 2) {
            throw new UsageException("--k times --m must be >= 2 (a group needs two answers to compare), got " + k + "x" + m);
        }
        MathTask t = base.task();
        return new LstmSettings(new MathTask(ops, t.minDigits(), t.maxDigits(), t.heldOutPercent()),
                CliSupport.intOpt(cl, "hidden", base.hidden(), 2, 4096),
                CliSupport.intOpt(cl, "sft-steps", base.sftSteps(), 0, 1_000_000),
                CliSupport.intOpt(cl, "sft-batch", base.sftBatch(), 1, 4096),
                CliSupport.doubleOpt(cl, "sft-lr", base.sftLr(), 1e-7, 1),
                CliSupport.doubleOpt(cl, "mistake-rate", base.mistakeRate(), 0, 1),
                CliSupport.intOpt(cl, "rl-steps", base.rlSteps(), 1, 1_000_000), k, m,
                CliSupport.intOpt(cl, "prompts", base.prompts(), 1, 4096),
                CliSupport.doubleOpt(cl, "lr", base.rlLr(), 1e-8, 1),
                CliSupport.doubleOpt(cl, "temperature", base.temperature(), 1e-3, 100), base.formatWeight(),
                CliSupport.intOpt(cl, "eval-problems", base.evalProblems(), 1, 100_000),
                CliSupport.intOpt(cl, "eval-samples", base.evalSamples(), 0, 1000),
                CliSupport.longOpt(cl, "seed", base.seed()), Path.of(cl.getOptionValue("out", base.outDir().toString())));
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        LstmSettings s = parse(cl, DEFAULTS);
        long start = System.nanoTime();
        LstmExperiment.Result r = LstmExperiment.run(s, out);
        out.println();
        out.print(LstmExperiment.summary(r));
        out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(summary.txt, samples.txt, *.png, "
                + "rl_metrics.csv, checkpoints/)%n", (System.nanoTime() - start) / 1e9, ProcessMemory.peakRss(),
                s.outDir().toAbsolutePath());
        return 0;
    }
}
