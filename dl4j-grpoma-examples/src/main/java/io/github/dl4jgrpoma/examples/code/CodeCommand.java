package io.github.dl4jgrpoma.examples.code;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ConfigOptions;
import io.github.dl4jgrpoma.examples.ConfigOptions.Flag;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.PhaseTimes;
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
    /** Every flag of {@code bin/grpoma code}, each setting one field of {@link CodeSettings}. */
    static final ConfigOptions<CodeSettings> FLAGS = new ConfigOptions<>(CodeSettings.class, List.of(
            Flag.of("seed", "seed", "N", "seed of everything (model init, problems, sampling)"),
            Flag.of("width", "width", "N", "transformer width"),
            Flag.of("layers", "layers", "N", "transformer layers"),
            Flag.of("heads", "heads", "N", "attention heads"),
            Flag.of("sft-steps", "sftSteps", "N", "SFT warm-up steps"),
            Flag.of("sft-batch", "sftBatch", "N", "traces per SFT step"),
            Flag.of("sft-lr", "sftLr", "X", "SFT learning rate"),
            Flag.of("mistake-rate", "mistakeRate", "X", "fraction of SFT traces with a misread parameter"),
            Flag.of("rl-steps", "rlSteps", "N", "GRPO-MA steps"),
            Flag.of("k", "thoughts", "N", "thoughts per prompt (K)"),
            Flag.of("m", "answers", "N", "answers per thought (M); M=1 with --estimator grpo is plain GRPO"),
            Flag.of("prompts", "promptsPerStep", "N", "prompts per RL step"),
            Flag.of("lr", "rlLr", "X", "RL learning rate"),
            Flag.of("temperature", "temperature", "X", "sampling temperature (RL and pass@k samples)"),
            Flag.of("estimator", "estimator", "NAME", "advantage estimator: grpo-ma, grpo (needs --m 1), dr-grpo"),
            Flag.of("parse-weight", "parseWeight", "X", "weight of the reward for an answer that parses"),
            Flag.of("eval-problems", "evalProblems", "N", "held-out problems (and held-out combination problems) evaluated"),
            Flag.of("pass-k", "passK", "N", "samples per problem for pass@1 and pass@k"),
            Flag.of("reward-threads", "rewardThreads", "N", "threads scoring the answers of a step"),
            Flag.of("reward-timeout-ms", "rewardTimeoutMs", "N", "wall-clock limit per answer's reward; over it scores 0")));
    /** What a code run writes into its folder (their presence means the folder holds a run). */
    static final List<String> OUTPUTS = List.of("config.json", PhaseTimes.FILE, "checkpoints", "summary.txt", "samples.txt",
            "reward.png", "grad_norm.png", "sft_metrics.csv", "rl_metrics.csv");
    static final String DEFAULT_OUT = "runs/code";

    /** The defaults of {@code bin/grpoma code}. */
    public static CodeSettings defaults() {
        return CodeSettings.defaults();
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
        Options o = new Options();
        RunDirectory.addOptions(o, DEFAULT_OUT, "config.json, metrics CSVs, PNG plots, samples, summary, checkpoints");
        FLAGS.addTo(o, CodeSettings.defaults(), Set.of());
        return o;
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
        CodeSettings given = FLAGS.parseRun(cl, CodeSettings.defaults(), DEFAULT_OUT);
        try (RolloutExecutors executors = RolloutExecutors.parse(cl, given.rollouts());
             RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, OUTPUTS)) {
            CodeSettings s = given.with("rollouts", executors.settings());
            dir.requireSftUnchangedOnceRlStarted(s.sftSteps());
            if (dir.resume()) {
                FLAGS.requireResumable(dir.path(), s, ConfigOptions.RUN_RESUMABLE, "");
                executors.resumeNote(given.rollouts(), s.promptsPerStep()).ifPresent(out::println);
            }
            RunTimer timer = new RunTimer();
            CodeResult r = CodeExperiment.run(s, dir.path(), dir.resume(), executors, out, err);
            out.println();
            out.print(CodeOutputs.summary(r));
            out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(config.json, summary.txt, samples.txt,"
                    + " *.png, *_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), dir.path());
        }
        return 0;
    }
}
