package io.github.dl4jgrpoma.examples.math;

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
import io.github.dl4jgrpoma.examples.PhaseTimes;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.RolloutExecutors;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.UsageException;

/**
 * {@code bin/grpoma math}: the main job. Trains a small transformer from scratch on multi-digit arithmetic
 * with a step-by-step scratchpad: SFT warm-up on traces with mistakes, then GRPO-MA with an exact-answer
 * reward, and prints held-out and out-of-distribution accuracy before and after RL.
 */
public final class MathCommand implements Command {
    /** Every flag of {@code bin/grpoma math}, each setting one field of {@link MathSettings}. */
    static final ConfigOptions<MathSettings> FLAGS = new ConfigOptions<>(MathSettings.class, List.of(
            Flag.of("seed", "seed", "N", "seed of everything (model init, data, sampling)"),
            new Flag("ops", "task.operations", "LIST", "operations: comma-separated add,sub,mul", true),
            Flag.of("thought-style", "thoughtStyle", "STYLE",
                    "scratchpad: full (with carries) or no-carry (the answer applies them)"),
            Flag.of("min-digits", "task.minDigits", "N", "fewest operand digits in training"),
            Flag.of("max-digits", "task.maxDigits", "N", "most operand digits in training (OOD slice: one more)"),
            Flag.of("width", "width", "N", "transformer width"),
            Flag.of("layers", "layers", "N", "transformer layers"),
            Flag.of("heads", "heads", "N", "attention heads"),
            Flag.of("sft-steps", "sftSteps", "N", "SFT warm-up steps"),
            Flag.of("sft-batch", "sftBatch", "N", "traces per SFT step"),
            Flag.of("sft-lr", "sftLr", "X", "SFT learning rate"),
            Flag.of("mistake-rate", "mistakeRate", "X", "fraction of SFT traces with one wrong column"),
            Flag.of("rl-steps", "rlSteps", "N", "GRPO-MA steps"),
            Flag.of("k", "thoughts", "N", "thoughts per prompt (K)"),
            Flag.of("m", "answers", "N", "answers per thought (M); M=1 with --estimator grpo is plain GRPO"),
            Flag.of("prompts", "promptsPerStep", "N", "prompts per RL step"),
            Flag.of("lr", "rlLr", "X", "RL learning rate"),
            Flag.of("temperature", "temperature", "X", "sampling temperature"),
            Flag.of("estimator", "estimator", "NAME", "advantage estimator: grpo-ma, grpo (needs --m 1), dr-grpo"),
            Flag.of("inner-epochs", "innerEpochs", "N", "gradient steps per rollout batch"),
            Flag.of("aggregation", "aggregation", "NAME",
                    "loss aggregation: sequence-mean (paper), token-mean (DAPO), constant (Dr. GRPO), bnpo (per local batch)"),
            Flag.of("eps-low", "epsLow", "X", "lower clip range of the importance ratio (GSPO: 3e-4)"),
            Flag.of("eps-high", "epsHigh", "X", "upper clip range of the importance ratio (DAPO: 0.28, GSPO: 4e-4)"),
            Flag.of("importance-ratio", "importanceRatio", "NAME",
                    "importance ratio: token (GRPO), sequence (GSPO), sequence-token (GSPO-token)"),
            Flag.of("scale-rewards", "scaleRewards", "MODE",
                    "advantage scaling at thought and answer level: group (std of the group), batch (std of the batch), none"),
            Flag.of("mask-truncated", "maskTruncated", "BOOL", "leave truncated thoughts/answers out of the loss (true/false)"),
            Flag.of("overlong-cache", "overlongCache", "N",
                    "DAPO soft overlong penalty over the last N tokens before the response cap (0: off)"),
            Flag.of("entropy-top", "entropyTopFraction", "X",
                    "train only on this fraction of highest-entropy tokens (1: all; 80/20 study: 0.2)"),
            Flag.of("thought-weight", "thoughtWeight", "X", "weight w_th of thought-token terms against answer-token terms"),
            Flag.of("beta", "beta", "X", "KL coefficient to the SFT policy (0: no reference model)"),
            Flag.of("format-weight", "formatWeight", "X", "weight of the format reward (answer parses as a number)"),
            Flag.of("eval-problems", "evalProblems", "N", "held-out and OOD problems evaluated"),
            Flag.of("eval-samples", "evalSamples", "N", "samples per problem for pass@1 (0: greedy only)"),
            Flag.of("eval-every", "evalEvery", "N", "held-out greedy evaluation every N RL steps (0: only before and after)")));
    /**
     * The math flags of the given names, for commands whose settings have the same fields at the same paths
     * ({@code lstm}: task, SFT, RL and evaluation flags), so they are defined once.
     *
     * @throws IllegalArgumentException naming a name that is not a math flag
     */
    public static List<Flag> flags(List<String> names) {
        return names.stream().map(n -> FLAGS.flags().stream().filter(f -> f.name().equals(n)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("'" + n + "' is not a flag of bin/grpoma math"))).toList();
    }

    /** What a math run writes into its folder (their presence means the folder holds a run). */
    static final List<String> OUTPUTS = List.of("config.json", PhaseTimes.FILE, "checkpoints", "summary.txt", "samples.txt",
            "reward.png", "accuracy.png", "grad_norm.png", "sft_metrics.csv", "rl_metrics.csv", "eval_curve.csv");
    static final String DEFAULT_OUT = "runs/math";

    @Override
    public String name() {
        return "math";
    }

    @Override
    public String summary() {
        return "the main job: SFT warm-up then GRPO-MA on multi-digit arithmetic, accuracy before/after (minutes)";
    }

    /** The options of a command built on math runs, without the {@code excluded} flags. */
    static Options options(String defaultOut, Set<String> excluded) {
        Options o = new Options();
        RunDirectory.addOptions(o, defaultOut, "config.json, metrics CSVs, PNG plots, samples, summary, checkpoints");
        FLAGS.addTo(o, MathSettings.defaults(), excluded);
        return o;
    }

    /**
     * The settings of a run: the defaults (with {@code --resume}, the run's {@code config.json} when it has one),
     * then {@code --config FILE}, then the flags.
     */
    static MathSettings settings(CommandLine cl, MathSettings defaults, String defaultOut) throws UsageException {
        return FLAGS.parseRun(cl, defaults, defaultOut);
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options(DEFAULT_OUT, Set.of());
        RolloutExecutors.addOptions(options);
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        MathSettings given = settings(cl, MathSettings.defaults(), DEFAULT_OUT);
        RolloutExecutors executors = RolloutExecutors.parse(cl, given.rollouts());
        MathSettings s = given.with("rollouts", executors.settings());
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, OUTPUTS); executors) {
            dir.requireSftUnchangedOnceRlStarted(s.sftSteps());
            if (dir.resume()) {
                FLAGS.requireResumable(dir.path(), s, ConfigOptions.RUN_RESUMABLE, "");
                executors.resumeNote(given.rollouts(), s.promptsPerStep()).ifPresent(out::println);
            }
            RunTimer timer = new RunTimer();
            MathResult r = MathExperiment.run(s, dir.path(), dir.resume(), executors, out, err);
            out.println();
            out.print(MathOutputs.summary(r));
            out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(config.json, summary.txt, samples.txt,"
                    + " *.png, *_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), dir.path());
        }
        return 0;
    }
}
