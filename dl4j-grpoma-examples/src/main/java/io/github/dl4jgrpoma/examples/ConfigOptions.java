package io.github.dl4jgrpoma.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.config.ConfigJson;

/**
 * Command-line flags that set fields of a JSON-mapped config record, and {@code --config FILE}. A command's
 * config is built in layers, each over the previous: the defaults (or, with {@code --resume}, the run's
 * {@code config.json}), then {@code --config FILE}, then the flags. Each flag names one field path, so the help
 * text shows the default read from the defaults object and a bad value is reported with the flag's name.
 *
 * @param <T> the config record
 */
public final class ConfigOptions<T> {
    /**
     * One flag.
     *
     * @param name        long option name, e.g. {@code k}
     * @param path        dotted field path, e.g. {@code thoughts} or {@code task.minDigits}
     * @param argName     the value's placeholder in the help, e.g. {@code N}
     * @param description what it sets
     * @param list        the value is comma-separated and sets a JSON array
     */
    public record Flag(String name, String path, String argName, String description, boolean list) {
        /** A single-valued flag. */
        public static Flag of(String name, String path, String argName, String description) {
            return new Flag(name, path, argName, description, false);
        }
    }

    /**
     * What a {@code --resume} of a math, code or image run may change ({@link #requireResumable}): more SFT steps
     * (until RL has a checkpoint), more RL steps, another evaluation, another executor (with a note).
     */
    public static final Set<String> RUN_RESUMABLE = Set.of("sftSteps", "rlSteps", "evalProblems", "evalSamples",
            "rollouts");

    private final Class<T> type;
    private final List<Flag> flags;

    public ConfigOptions(Class<T> type, List<Flag> flags) {
        this.type = type;
        this.flags = List.copyOf(flags);
    }

    /** The flags. */
    public List<Flag> flags() {
        return flags;
    }

    /** Adds {@code --config} and every flag not in {@code excluded}, with the default read from {@code defaults}. */
    public void addTo(Options o, T defaults, Set<String> excluded) {
        o.addOption(Option.builder().longOpt("config").hasArg().argName("FILE").desc("read the settings from a JSON file"
                + " (a run's config.json, or any subset of its fields); flags given override it").build());
        ObjectNode d = ConfigJson.tree(defaults);
        for (Flag f : flags) {
            if (!excluded.contains(f.name())) {
                o.addOption(Option.builder().longOpt(f.name()).hasArg().argName(f.argName())
                        .desc(f.description() + " (default " + text(ConfigJson.at(d, f.path())) + ")").build());
            }
        }
    }

    /**
     * The config of a run into {@code --out}: the defaults or, with {@code --resume} and a {@code config.json} in
     * the folder, that file; then {@code --config FILE}, then the flags.
     *
     * @throws UsageException naming the flag (or file), the value and the fix
     */
    public T parseRun(CommandLine cl, T defaults, String defaultOut) throws UsageException {
        ObjectNode base = ConfigJson.tree(defaults);
        Path saved = Path.of(CliSupport.value(cl, "out", defaultOut)).resolve("config.json");
        if (cl.hasOption("resume") && Files.isRegularFile(saved)) {
            try {
                base = ConfigJson.tree(ConfigJson.read(saved, type, defaults));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--resume: the run's " + e.getMessage());
            }
        }
        return parse(cl, base);
    }

    /**
     * Builds the config: {@code base}, then {@code --config FILE}, then the flags; validated by the record.
     *
     * @throws UsageException naming the flag (or file), the value and the fix
     */
    public T parse(CommandLine cl, ObjectNode base) throws UsageException {
        ObjectNode tree = base.deepCopy();
        String source = "options";
        if (cl.hasOption("config")) {
            String file = CliSupport.value(cl, "config", null);
            Path p = Path.of(file).toAbsolutePath();
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new UsageException("--config " + file + " cannot be read (" + CliSupport.reason(e) + "); fix: give a readable JSON"
                        + " file, e.g. a run's config.json");
            }
            try {
                ConfigJson.merge(tree, ConfigJson.parse(text, "--config " + file), file, "");
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            source = "--config " + file;
        }
        for (Flag f : flags) {
            if (cl.hasOption(f.name())) {
                set(tree, base, f, CliSupport.value(cl, f.name(), null));
            }
        }
        try {
            return ConfigJson.fromTree(tree, type, source);
        } catch (IllegalArgumentException e) {
            throw new UsageException(withFlag(cl, e.getMessage()));
        }
    }

    /**
     * With {@code --resume}, refuses a run whose settings would change in a field outside {@code mayChange} (top-level
     * field names such as {@code rlSteps}): every other field shaped the weights or the rewards so far, and a silent
     * change would mix two runs (reward weights and the SFT mistake rate are not part of the trainers' checkpoint
     * fingerprints). Also refuses a folder that holds checkpoints but no {@code config.json}: its settings are
     * unknown, and the defaults would be taken for them. Checked before any work starts.
     *
     * @param dir       the run folder (already known to hold a run)
     * @param given     this invocation's settings
     * @param mayChange top-level fields a resume may change
     * @param why       appended to the refusal (e.g. why a field cannot change here); "" for none
     * @throws UsageException naming the flags, the given and the run's values and the fix
     */
    public void requireResumable(Path dir, T given, Set<String> mayChange, String why) throws UsageException {
        Path saved = dir.resolve("config.json");
        if (!Files.isRegularFile(saved)) {
            if (Files.isDirectory(dir.resolve("checkpoints"))) {
                throw new UsageException("--resume: " + dir + " holds checkpoints but no config.json, so the run's settings"
                        + " are unknown and the defaults would be taken for them; fix: put the run's config.json back (or"
                        + " write one with its settings) and resume, or start over with --overwrite");
            }
            return;
        }
        ObjectNode before;
        try {
            before = ConfigJson.tree(ConfigJson.read(saved, type, given));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--resume: the run's " + e.getMessage());
        }
        ObjectNode now = ConfigJson.tree(given);
        for (String free : mayChange) {
            before.remove(free);
            now.remove(free);
        }
        List<String> changed = ConfigJson.differences(before, now);
        if (!changed.isEmpty()) {
            throw new UsageException("--resume: the run in " + dir + " was made with other settings: "
                    + describeChanges(changed, before, now) + why);
        }
    }

    /**
     * A resume's changed settings in the command line's terms, for a refusal: the flag of each changed field path (as
     * {@link ConfigJson#differences} names them) with the value given and the run's, e.g. {@code --lr 0.5 (the run has
     * 0.001)}; a field no flag sets is named as {@code config field 'x'}. The last element is the fix.
     *
     * @param saved the run's config (JSON tree)
     * @param given the config of this invocation
     */
    public String describeChanges(List<String> paths, JsonNode saved, JsonNode given) {
        List<String> parts = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        for (String p : paths) {
            String name = flags.stream().filter(f -> f.path().equals(p)).map(f -> "--" + f.name()).findFirst()
                    .orElse("config field '" + p + "'");
            names.add(name);
            parts.add(name + " " + plain(ConfigJson.at(given, p)) + " (the run has " + plain(ConfigJson.at(saved, p)) + ")");
        }
        String drop = names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
        return String.join(", ", parts) + "; fix: drop " + drop + " (or give the run's values) to continue it, or start"
                + " over with --overwrite";
    }

    /**
     * Prefixes the message with the flags (and their values) whose fields it names, when those flags were given, e.g.
     * {@code --min-digits 3 --max-digits 2: ... minDigits <= maxDigits ...}.
     */
    private String withFlag(CommandLine cl, String message) {
        StringBuilder given = new StringBuilder();
        if (message.contains("unknown field")) {      // the message lists the valid fields: no flag is at fault
            return message.replaceFirst("^options: ", "");
        }
        for (Flag f : flags) {
            String leaf = f.path().substring(f.path().lastIndexOf('.') + 1);
            boolean named = message.contains("'" + f.path() + "'") || message.contains("'" + f.path() + "[")
                    || java.util.regex.Pattern.compile("(?<![A-Za-z])" + java.util.regex.Pattern.quote(leaf) + "(?![A-Za-z])")
                    .matcher(message).find();
            if (named && cl.hasOption(f.name())) {
                given.append(given.length() == 0 ? "" : " ").append("--").append(f.name()).append(' ')
                        .append(CliSupport.value(cl, f.name(), null));
            }
        }
        String m = message.replaceFirst("^options: ", "");
        return given.length() == 0 ? m : given + ": " + m;
    }

    /**
     * Sets the flag's field to its value, typed by the field's current node (the defaults hold every field): a flag is
     * text, and the JSON mapper refuses quoted numbers and booleans (they come from hand-edited files), so
     * {@code --rl-steps 60} is put as the number 60; a value that is not a number stays text and is reported as such.
     */
    /**
     * Sets the flag's field in {@code tree} to {@code value}, typed as the field is in {@code template} (the defaults
     * or the run's config: a wrongly typed value in a --config file must not decide how a flag is read).
     */
    private static void set(ObjectNode tree, JsonNode template, Flag f, String value) {
        String[] parts = f.path().split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = parent.get(parts[i]);
            parent = child instanceof ObjectNode o ? o : parent.putObject(parts[i]);
        }
        String leaf = parts[parts.length - 1];
        JsonNode old = ConfigJson.at(template, f.path());
        if (f.list()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            JsonNode like = old != null && old.isArray() && old.size() > 0 ? old.get(0) : null;
            for (String v : value.split(",")) {
                a.add(typed(like, v.trim()));
            }
            parent.set(leaf, a);
        } else {
            parent.set(leaf, typed(old, value.trim()));
        }
    }

    /** {@code value} as a node of the kind of {@code like} (number, boolean), else as text. */
    private static JsonNode typed(JsonNode like, String value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (like != null && like.isNumber()) {
            try {
                if (value.matches("-?\\d+")) {
                    java.math.BigInteger i = new java.math.BigInteger(value);
                    return i.bitLength() < 32 ? nodes.numberNode(i.intValue())
                            : i.bitLength() < 64 ? nodes.numberNode(i.longValue()) : nodes.numberNode(i);
                }
                return nodes.numberNode(new java.math.BigDecimal(value).doubleValue());
            } catch (NumberFormatException e) {
                return nodes.textNode(value);
            }
        }
        if (like != null && like.isBoolean() && (value.equals("true") || value.equals("false"))) {
            return nodes.booleanNode(Boolean.parseBoolean(value));
        }
        return nodes.textNode(value);
    }

    /** {@link #text} with fractions written out (0.0003, not 3.0E-4), as a user would type them. */
    private static String plain(JsonNode n) {
        return n != null && n.isFloatingPointNumber() && Double.isFinite(n.doubleValue())
                ? java.math.BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString() : text(n);
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return "none";
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder();
            n.forEach(x -> sb.append(sb.length() == 0 ? "" : ",").append(x.asText()));
            return sb.toString();
        }
        return n.asText();
    }
}
