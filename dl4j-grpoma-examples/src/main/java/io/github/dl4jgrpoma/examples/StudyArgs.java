package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.dl4jgrpoma.examples.math.StudyShape;

/** Argument checks every study command shares (math, image, code). */
public final class StudyArgs {
    /**
     * The study-level flags a study started with ({@code --seeds}, {@code --shapes}, ...), written into its folder so
     * that {@code --resume} continues the same study; {@code ""} marks a flag that was not given (its default).
     */
    public static final String PLAN = "study-plan.json";

    private StudyArgs() {
    }

    /**
     * With {@code --resume}: the command line with the saved {@value #PLAN} flags of the study being resumed added
     * where absent (a resumed {@code study --task code --seeds 1} must not grow to the default 3 seeds); a flag given
     * now with another value than the study started with is refused. Without {@code --resume}, or for a study folder
     * written before the plan existed, {@code cl} as it is.
     *
     * @param keys the study-level flags without {@code --}
     * @throws UsageException naming the flag, both values and the fix
     */
    public static CommandLine resumePlan(CommandLine cl, String[] args, Options options, List<String> keys,
                                         String defaultOut) throws UsageException {
        if (!cl.hasOption("resume")) {
            return cl;
        }
        Path file = Path.of(CliSupport.value(cl, "out", defaultOut)).toAbsolutePath().resolve(PLAN);
        if (!Files.isRegularFile(file)) {
            return cl;
        }
        Map<String, String> saved;
        try {
            saved = new ObjectMapper().readValue(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new UsageException(file + " cannot be read (" + CliSupport.reason(e) + "); fix: restore it, or"
                    + " give the study's --seeds/--shapes again after deleting it");
        }
        List<String> out = new ArrayList<>(Arrays.asList(args));
        for (String key : keys) {
            String was = saved.get(key);
            if (was == null) {
                continue;
            }
            String now = cl.hasOption(key) ? cl.getOptionValue(key).trim() : null;
            if (now != null && !now.equals(was)) {
                throw new UsageException("--" + key + " " + now + " differs from the study being resumed ("
                        + (was.isEmpty() ? "it ran with the default" : "--" + key + " " + was) + ", " + file
                        + "); fix: drop --" + key + " to resume it as started, or start a new study in another --out");
            }
            if (now == null && !was.isEmpty()) {
                out.add("--" + key);
                out.add(was);
            }
        }
        return CliSupport.parse(options, out.toArray(new String[0]));
    }

    /** Writes {@value #PLAN}: each of {@code keys} with its value on {@code cl}, or {@code ""} when not given. */
    public static void savePlan(Path dir, CommandLine cl, List<String> keys) throws IOException {
        Map<String, String> plan = new LinkedHashMap<>();
        for (String key : keys) {
            plan.put(key, cl.hasOption(key) ? cl.getOptionValue(key).trim() : "");
        }
        Files.writeString(dir.resolve(PLAN), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(plan),
                StandardCharsets.UTF_8);
    }

    /**
     * Refuses the run flags a study sets itself.
     *
     * @param args  the study's arguments
     * @param fixed flag names without {@code --}, e.g. {@code k}
     * @param what  what the study sets, e.g. {@code "K, M, the estimator and the seeds"}
     * @param use   the study's flags to use instead, e.g. {@code "--shapes and --seeds"}
     * @throws UsageException naming the first such flag and the fix
     */
    public static void rejectFixed(String[] args, Set<String> fixed, String what, String use) throws UsageException {
        for (String a : args) {
            if (a.startsWith("--") && fixed.contains(a.substring(2).split("=")[0])) {
                throw new UsageException(a + " is not a study option: the study sets " + what + " itself; fix: use " + use);
            }
        }
    }

    /**
     * The shapes of {@code --shapes} (comma-separated, e.g. {@code T16A1,T4A4}), or of {@code defaults} without it.
     *
     * @param check validates a shape against the run settings (throws IllegalArgumentException)
     * @throws UsageException naming {@code --shapes} and the reason, for a malformed, invalid or repeated shape
     */
    public static List<StudyShape> shapes(CommandLine cl, String defaults, Consumer<StudyShape> check) throws UsageException {
        List<StudyShape> shapes = new ArrayList<>();
        for (String s : CliSupport.value(cl, "shapes", defaults).split(",")) {
            try {
                StudyShape shape = StudyShape.parse(s);
                check.accept(shape);
                if (shapes.contains(shape)) {
                    throw new UsageException("--shapes lists " + s.trim() + " twice (its runs would share one folder and count"
                            + " as extra seeds); fix: list each shape once");
                }
                shapes.add(shape);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--shapes: " + e.getMessage());
            }
        }
        return shapes;
    }
}
