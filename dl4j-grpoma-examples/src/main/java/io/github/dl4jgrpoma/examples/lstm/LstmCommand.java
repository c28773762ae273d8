package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ConfigOptions;
import io.github.dl4jgrpoma.examples.ConfigOptions.Flag;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.math.MathCommand;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code bin/grpoma lstm}: GRPO-MA inside an ordinary DL4J pipeline. An LSTM {@code MultiLayerNetwork} learns the
 * {@code math} task: SFT with plain {@code net.fit} on traces, then GRPO-MA with {@code net.fit} on a
 * {@code GrpoMaDataSetIterator}; held-out accuracy before and after RL. Run folder as {@code math}: config.json,
 * {@code --config}, exact {@code --resume} from the newest checkpoint of the phase, {@code --overwrite}, a lock.
 */
public final class LstmCommand implements Command {
    /** Every flag of {@code bin/grpoma lstm}, each setting one field of {@link LstmSettings}. */
    static final ConfigOptions<LstmSettings> FLAGS = new ConfigOptions<>(LstmSettings.class, Stream.concat(
            MathCommand.flags(List.of("seed", "ops", "min-digits", "max-digits", "sft-steps", "sft-batch", "sft-lr",
                    "mistake-rate", "rl-steps", "k", "prompts", "lr", "temperature", "format-weight", "eval-problems",
                    "eval-samples")).stream(), Stream.of(
            Flag.of("hidden", "hidden", "N", "LSTM units"),
            Flag.of("gradient-clip", "gradientClip", "X", "per-layer L2 gradient clipping (SFT and RL)"),
            Flag.of("m", "answers", "N", "answers per thought (M)"))).toList());
    /** What an lstm run writes into its folder (their presence means the folder holds a run). */
    static final List<String> OUTPUTS = List.of("config.json", "checkpoints", "summary.txt", "samples.txt", "reward.png",
            "accuracy.png", "sft_metrics.csv", "rl_metrics.csv");
    static final String DEFAULT_OUT = "runs/lstm";

    @Override
    public String name() {
        return "lstm";
    }

    @Override
    public String summary() {
        return "math task with a DL4J LSTM MultiLayerNetwork: plain net.fit SFT, then GRPO-MA via net.fit(iterator)";
    }

    static Options options() {
        Options o = new Options();
        RunDirectory.addOptions(o, DEFAULT_OUT, "config.json, metrics CSVs, PNG plots, samples, summary, checkpoints");
        FLAGS.addTo(o, LstmSettings.defaults(), Set.of());
        return o;
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        LstmSettings s = FLAGS.parseRun(cl, LstmSettings.defaults(), DEFAULT_OUT);
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, OUTPUTS)) {
            RunTimer timer = new RunTimer();
            LstmExperiment.Result r = LstmExperiment.run(s, dir.path(), dir.resume(), out);
            out.println();
            out.print(LstmExperiment.summary(r));
            out.printf(Locale.ROOT, "total time %.0f s, peak RSS %s; outputs in %s%n(config.json, summary.txt, samples.txt,"
                    + " *.png, *_metrics.csv, checkpoints/)%n", timer.seconds(), ProcessMemory.peakRss(), dir.path());
        }
        return 0;
    }
}
