package io.github.dl4jgrpoma.examples;

import java.io.PrintStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /**
     * The value of an option; when it is given more than once, the last one wins (so a later flag overrides an
     * earlier one, as in most command-line tools).
     */
    public static String value(CommandLine cl, String name, String def) {
        String[] all = cl.getOptionValues(name);
        return all == null || all.length == 0 ? def : all[all.length - 1];
    }

    /** Prints the usage of a command. */
    public static void printUsage(PrintStream out, String command, String header, Options options) {
        PrintWriter pw = new PrintWriter(out, true);
        new HelpFormatter().printHelp(pw, 100, "bin/grpoma " + command + " [options]", header + "\n\n", options, 2, 4,
                "", false);
        pw.flush();
    }

    /**
     * An output folder given by option {@code name}: resolved against the current folder, created if missing,
     * checked to be a writable folder, before any work starts.
     *
     * @throws UsageException naming the option, the value and the fix
     */
    public static Path outputDirectory(String name, String value) throws UsageException {
        if (value == null || value.isBlank()) {
            throw new UsageException("--" + name + " is empty; fix: give a folder, e.g. --" + name + " runs/my-run");
        }
        Path dir = resolve(name, value);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--" + name + " " + value + " is an existing file, not a folder; fix: give a folder"
                    + " (it is created if missing)");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new UsageException("--" + name + " " + value + ": cannot create the folder (" + reason(e)
                    + "); fix: give a folder you can write to");
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException("--" + name + " " + value + " is not writable; fix: give a folder you can write to");
        }
        return dir;
    }

    /**
     * An output file given by option {@code name}: resolved against the current folder; its folder must exist
     * (or be creatable) and be writable, and the file must not be a folder. Checked before any work starts.
     *
     * @throws UsageException naming the option, the value and the fix
     */
    public static Path outputFile(String name, String value) throws UsageException {
        Path file = resolve(name, value);
        if (Files.isDirectory(file)) {
            throw new UsageException("--" + name + " " + value + " is a folder; fix: give a file name");
        }
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException | SecurityException e) {
            throw new UsageException("--" + name + " " + value + ": cannot create its folder " + parent + " ("
                    + reason(e) + "); fix: give a file in a folder you can write to");
        }
        if (!Files.isWritable(parent) || (Files.exists(file) && !Files.isWritable(file))) {
            throw new UsageException("--" + name + " " + value + " cannot be written; fix: give a file in a folder you"
                    + " can write to");
        }
        return file;
    }

    /** A readable reason of a file-system error, without exception class names. */
    static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + ": " + f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** A path option resolved against the current folder (the caller's, not the repository's). */
    private static Path resolve(String name, String value) throws UsageException {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new UsageException("--" + name + " '" + value + "' is not a valid path: " + e.getReason());
        }
    }

    /** An integer option with a default and an inclusive range. */
    public static int intOpt(CommandLine cl, String name, int def, int min, int max) throws UsageException {
        String v = value(cl, name, null);
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
            throw new UsageException("--" + name + " must be an integer in [" + min + ", " + max + "], got '" + v + "'");
        }
    }

    /** A long option with a default (any value). */
    public static long longOpt(CommandLine cl, String name, long def) throws UsageException {
        String v = value(cl, name, null);
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
        String v = value(cl, name, null);
        if (v == null) {
            return def.clone();
        }
        // limit -1 keeps trailing empty parts, so "128," or "," is an error rather than a shorter list
        String[] parts = v.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " must be a comma-separated list of integers, got '" + v
                        + "'; fix: give integers separated by single commas, e.g. 128,256");
            }
            if (out[i] < min || out[i] > max) {
                throw new UsageException("--" + name + " values must be in [" + min + ", " + max + "], got " + out[i]);
            }
        }
        return out;
    }

    /** A floating-point option with a default and an inclusive range. */
    public static double doubleOpt(CommandLine cl, String name, double def, double min, double max) throws UsageException {
        String v = value(cl, name, null);
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

    /** Adds a long option with one argument whose description ends with its default. */
    public static void opt(Options o, String name, String arg, String desc, Object def) {
        o.addOption(Option.builder().longOpt(name).hasArg().argName(arg).desc(desc + " (default " + def + ")").build());
    }

    /**
     * Checks the estimator name and the K x M group shape: an estimator that packs one advantage per whole
     * response (plain GRPO) needs M = 1, and a group needs two answers.
     *
     * @throws UsageException naming the options and the fix
     */
    public static void checkShape(String estimator, int k, int m) throws UsageException {
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

    /** @throws UsageException when the width is not divisible by the number of heads */
    public static void checkWidthHeads(int width, int heads) throws UsageException {
        if (width % heads != 0) {
            throw new UsageException("--width (" + width + ") must be divisible by --heads (" + heads + ")");
        }
    }
}
