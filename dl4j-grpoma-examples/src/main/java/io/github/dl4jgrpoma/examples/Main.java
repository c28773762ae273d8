package io.github.dl4jgrpoma.examples;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import io.github.dl4jgrpoma.examples.bench.ImageUpdateBenchmarkCommand;
import io.github.dl4jgrpoma.examples.bench.RewardBenchmarkCommand;
import io.github.dl4jgrpoma.examples.bench.RolloutBenchmarkCommand;
import io.github.dl4jgrpoma.examples.bench.SparkBenchmarkCommand;
import io.github.dl4jgrpoma.examples.code.CodeCommand;
import io.github.dl4jgrpoma.examples.bench.StepBenchmarkCommand;
import io.github.dl4jgrpoma.examples.custom.CustomModelCommand;
import io.github.dl4jgrpoma.examples.lstm.LstmCommand;
import io.github.dl4jgrpoma.examples.image.ImageCommand;
import io.github.dl4jgrpoma.examples.math.MathCommand;
import io.github.dl4jgrpoma.examples.math.StudyCommand;

/**
 * Entry point of {@code bin/grpoma}: {@code bin/grpoma <command> [options]}. Each command is a
 * {@link Command}; {@code bin/grpoma <command> --help} documents its options.
 */
public final class Main {
    private Main() {
    }

    /** The commands, in the order {@code --help} lists them. */
    static List<Command> commands() {
        return List.of(new MathCommand(), new CodeCommand(), new ImageCommand(), new StudyCommand(), new SimulateCommand(),
                new RolloutBenchmarkCommand(), new ImageUpdateBenchmarkCommand(), new StepBenchmarkCommand(), new RewardBenchmarkCommand(), new SparkBenchmarkCommand(),
                new CustomModelCommand(),
                new LstmCommand());
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns its exit code (0 ok, 1 failure, 2 usage error); never calls System.exit. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<Command> commands = commands();
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            printCommands(args.length == 0 ? err : out, commands);
            return args.length == 0 ? 2 : 0;
        }
        for (Command c : commands) {
            if (c.name().equals(args[0])) {
                String[] rest = Arrays.copyOfRange(args, 1, args.length);
                try {
                    return c.run(rest, out, err);
                } catch (UsageException e) {
                    err.println("bin/grpoma " + c.name() + ": " + e.getMessage() + " (bin/grpoma " + c.name()
                            + " --help lists the options)");
                    return 2;
                } catch (io.github.dl4jgrpoma.checkpoint.CheckpointException e) {
                    // a corrupt checkpoint or one written with other settings: the message names it and the fix
                    err.println("bin/grpoma " + c.name() + ": " + e.getMessage());
                    return 2;
                } catch (Exception e) {
                    err.println("bin/grpoma " + c.name() + " failed: " + e);
                    e.printStackTrace(err);
                    return 1;
                }
            }
        }
        err.println("bin/grpoma: unknown command '" + args[0] + "'");
        printCommands(err, commands);
        return 2;
    }

    private static void printCommands(PrintStream s, List<Command> commands) {
        s.println("usage: bin/grpoma <command> [options]   (bin/grpoma <command> --help for its options)");
        s.println("commands:");
        for (Command c : commands) {
            s.printf("  %-14s %s%n", c.name(), c.summary());
        }
    }
}
