package io.github.dl4jgrpoma.examples;

import java.io.PrintStream;
import java.io.PrintWriter;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.algo.PackingMode;

/** Apache Commons CLI helpers shared by the example commands: parsing with typed, range-checked values. */
public final class CliSupport {
    private CliSupport() {
    }

    /** Adds {@code -h/--help} and parses; unknown options and missing values become a {@link UsageException}. */
    public static CommandLine parse(Options options, String[] args) throws UsageException {
        if (!options.hasOption("help")) {
            options.addOption(Option.builder("h").longOpt("help").desc("print this help and exit").build());
        }
        try {
            CommandLine cl = new DefaultParser().parse(options, args);
            if (!cl.getArgList().isEmpty()) {
                throw new UsageException("unexpected argument(s): " + cl.getArgList());
            }
            return cl;
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Prints the usage of a command. */
    public static void printUsage(PrintStream out, String command, String header, Options options) {
        PrintWriter pw = new PrintWriter(out, true);
        new HelpFormatter().printHelp(pw, 100, "bin/grpoma " + command + " [options]", header + "\n\n", options, 2, 4,
                "", false);
        pw.flush();
    }

    /** An integer option with a default and an inclusive range. */
    public static int intOpt(CommandLine cl, String name, int def, int min, int max) throws UsageException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return def;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x < min || x > max) {
                throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /** A long option with a default (any value). */
    public static long longOpt(CommandLine cl, String name, long def) throws UsageException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    /** A comma-separated list of positive integers, for example {@code 2,4,8}. */
    public static int[] intListOpt(CommandLine cl, String name, int[] def, int min, int max) throws UsageException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return def.clone();
        }
        String[] parts = v.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a comma-separated list of integers, got '" + v + "'");
            }
            if (out[i] < min || out[i] > max) {
                throw new UsageException("--" + name + " values must be in [" + min + ", " + max + "], got " + out[i]);
            }
        }
        return out;
    }

    /** A floating-point option with a default and an inclusive range. */
    public static double doubleOpt(CommandLine cl, String name, double def, double min, double max) throws UsageException {
        String v = cl.getOptionValue(name);
        if (v == null) {
            return def;
        }
        try {
            double x = Double.parseDouble(v.trim());
            if (!(x >= min && x <= max)) {
                throw new UsageException("--" + name + " must be in [" + min + ", " + max + "], got " + v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + v + "'");
        }
    }

    /**
     * Checks an estimator name with K thoughts and M answers per thought: the name must be registered, an
     * estimator that packs one advantage per whole response (plain GRPO) needs M = 1, and a group needs K*M >= 2.
     */
    public static void checkGroupShape(String estimator, int k, int m) throws UsageException {
        AdvantageEstimators estimators = AdvantageEstimators.defaults();
        if (!estimators.contains(estimator)) {
            throw new UsageException("--estimator " + estimator + " is unknown; use one of " + estimators.names());
        }
        if (estimators.get(estimator).packing() == PackingMode.COUPLED && m != 1) {
            throw new UsageException("--estimator " + estimator + " packs one advantage per whole response (plain GRPO) and needs"
                    + " --m 1 (got --m " + m + "); use " + GrpoMaEstimator.NAME + " for M > 1");
        }
        if (k * m < 2) {
            throw new UsageException("--k times --m must be >= 2 (a group needs two answers to compare), got " + k + "x" + m);
        }
    }

    /** Checks that the transformer width is divisible by the number of attention heads. */
    public static void checkWidthAndHeads(int width, int heads) throws UsageException {
        if (width % heads != 0) {
            throw new UsageException("--width (" + width + ") must be divisible by --heads (" + heads + ")");
        }
    }

    /** Adds an option {@code --name ARG} whose help text ends with its default. */
    public static void option(Options options, String name, String arg, String description, Object defaultValue) {
        options.addOption(Option.builder().longOpt(name).hasArg().argName(arg)
                .desc(description + " (default " + defaultValue + ")").build());
    }
}
