package io.github.dl4jgrpoma.examples.code;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.examples.RolloutExecutors;
import io.github.dl4jgrpoma.examples.RunTimer;

/**
 * {@code bin/grpoma code}: program synthesis from input/output examples. A small transformer learns to write
 * programs in the sandboxed language of docs/CODE-LANGUAGE.md: SFT warm-up on traces with mistakes, then
 * GRPO-MA with the fraction of hidden tests passed as reward (scored in parallel, with a time limit per
 * answer); prints held-out pass@1 and pass@k before and after RL and the sandbox failures by cause.
 */
public final class CodeCommand implements Command {
    /** Defaults of {@code bin/grpoma code}. */
    static final CodeSettings DEFAULTS = new CodeSettings(CodeTask.defaults(), 64, 2, 4, 500, 32, 3e-3, 0.2, 20_000,
            60, 4, 4, 8, 3e-4, 1.0, "grpo-ma", 0.1, 50, 4, 2, 1000, 1, Path.of("runs/code"), false);

    /** The defaults of {@code bin/grpoma code}. */
    public static CodeSettings defaults() {
        return DEFAULTS;
    }

    @Override
    public String name() {
        return "code";
    }

    @Override
    public String summary() {
        return "program synthesis: SFT then GRPO-MA with sandboxed test rewards, pass@1/pass@k before/after (minutes)";
    }

    static Options options() {
        CodeSettings d = DEFAULTS;
        Options o = new Options();
        CliSupport.opt(o, "out", "DIR", "output folder: metrics CSVs, PNG plots, samples, summary, final checkpoint", d.outDir());
        CliSupport.opt(o, "seed", "N", "seed of everything (model init, problems, sampling)", d.seed());
        CliSupport.opt(o, "width", "N", "transformer width", d.width());
        CliSupport.opt(o, "layers", "N", "transformer layers", d.layers());
        CliSupport.opt(o, "heads", "N", "attention heads", d.heads());
        CliSupport.opt(o, "sft-steps", "N", "SFT warm-up steps", d.sftSteps());
        CliSupport.opt(o, "sft-batch", "N", "traces per SFT step", d.sftBatch());
        CliSupport.opt(o, "sft-lr", "X", "SFT learning rate", d.sftLr());
        CliSupport.opt(o, "mistake-rate", "X", "fraction of SFT traces with a misread parameter", d.mistakeRate());
        CliSupport.opt(o, "rl-steps", "N", "GRPO-MA steps", d.rlSteps());
        CliSupport.opt(o, "k", "N", "thoughts per prompt (K)", d.thoughts());
        CliSupport.opt(o, "m", "N", "answers per thought (M)", d.answers());
        CliSupport.opt(o, "prompts", "N", "prompts per RL step", d.promptsPerStep());
        CliSupport.opt(o, "lr", "X", "RL learning rate", d.rlLr());
        CliSupport.opt(o, "temperature", "X", "sampling temperature (RL and pass@k samples)", d.temperature());
        CliSupport.opt(o, "estimator", "NAME", "advantage estimator: grpo-ma, grpo (needs --m 1), dr-grpo", d.estimator());
        CliSupport.opt(o, "parse-weight", "X", "weight of the reward for an answer that parses", d.parseWeight());
        CliSupport.opt(o, "eval-problems", "N", "held-out problems (and held-out combination problems) evaluated", d.evalProblems());
        CliSupport.opt(o, "pass-k", "N", "samples per problem for pass@1 and pass@k", d.passK());
        CliSupport.opt(o, "reward-threads", "N", "threads scoring the answers of a step", d.rewardThreads());
        CliSupport.opt(o, "reward-timeout-ms", "N", "wall-clock limit per answer's reward; over it scores 0", d.rewardTimeoutMs());
        return o;
    }

    /** Parses the options into settings, starting from {@code base}. */
    static CodeSettings parse(CommandLine cl, CodeSettings base) throws UsageException {
        String estimator = cl.getOptionValue("estimator", base.estimator());
        int m = CliSupport.intOpt(cl, "m", base.answers(), 1, 64);
        int k = CliSupport.intOpt(cl, "k", base.thoughts(), 1, 64);
        CliSupport.checkShape(estimator, k, m);
        int width = CliSupport.intOpt(cl, "width", base.width(), 8, 1024);
        int heads = CliSupport.intOpt(cl, "heads", base.heads(), 1, 64);
        CliSupport.checkWidthHeads(width, heads);
        try {
            return new CodeSettings(base.task(), width, CliSupport.intOpt(cl, "layers", base.layers(), 1, 48), heads,
                    CliSupport.intOpt(cl, "sft-steps", base.sftSteps(), 0, 1_000_000),
                    CliSupport.intOpt(cl, "sft-batch", base.sftBatch(), 1, 4096),
                    CliSupport.doubleOpt(cl, "sft-lr", base.sftLr(), 1e-7, 1),
                    CliSupport.doubleOpt(cl, "mistake-rate", base.mistakeRate(), 0, 1), base.sftTraces(),
                    CliSupport.intOpt(cl, "rl-steps", base.rlSteps(), 0, 1_000_000), k, m,
                    CliSupport.intOpt(cl, "prompts", base.promptsPerStep(), 1, 4096),
                    CliSupport.doubleOpt(cl, "lr", base.rlLr(), 1e-8, 1),
                    CliSupport.doubleOpt(cl, "temperature", base.temperature(), 1e-3, 100), estimator,
                    CliSupport.doubleOpt(cl, "parse-weight", base.parseWeight(), 0, 10),
                    CliSupport.intOpt(cl, "eval-problems", base.evalProblems(), 1, 100_000),
                    CliSupport.intOpt(cl, "pass-k", base.passK(), 1, 1000),
                    CliSupport.intOpt(cl, "reward-threads", base.rewardThreads(), 1, 256),
                    CliSupport.intOpt(cl, "reward-timeout-ms", base.rewardTimeoutMs(), 1, 3_600_000),
                    CliSupport.longOpt(cl, "seed", base.seed()), Path.of(cl.getOptionValue("out", base.outDir().toString())),
                    base.quiet());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        RolloutExecutors.addOptions(options);
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        CodeSettings s = parse(cl, DEFAULTS);
        RunTimer timer = new RunTimer();
        CodeResult r;
        try (RolloutExecutors executors = RolloutExecutors.parse(cl)) {
            r = CodeExperiment.run(s, executors, out, err);
        }
        out.println();
        out.print(CodeOutputs.summary(r));
        out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(summary.txt, samples.txt, *.png, "
                + "*_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), s.outDir().toAbsolutePath());
        return 0;
    }
}
