package io.github.dl4jgrpoma.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.cli.CommandLine;

import io.github.dl4jgrpoma.examples.math.StudyShape;

/** Argument checks every study command shares (math, image, code). */
public final class StudyArgs {
    private StudyArgs() {
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
     * @throws UsageException naming {@code --shapes} and the reason, for a malformed or invalid shape
     */
    public static List<StudyShape> shapes(CommandLine cl, String defaults, Consumer<StudyShape> check) throws UsageException {
        List<StudyShape> shapes = new ArrayList<>();
        for (String s : CliSupport.value(cl, "shapes", defaults).split(",")) {
            try {
                StudyShape shape = StudyShape.parse(s);
                check.accept(shape);
                shapes.add(shape);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--shapes: " + e.getMessage());
            }
        }
        return shapes;
    }
}
