package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.config.ConfigJson;

/**
 * The wall-clock seconds of a run's phases ({@code sft}, {@code rl}) as the summary reports them, kept in
 * {@value #FILE} in the run folder, so that a {@code --resume} which runs no step of a phase (the phase had finished)
 * reports the seconds the process that ran it measured, not its own few seconds of restoring a checkpoint. A resume
 * that runs steps of a phase reports its own seconds for it (README: wall-clock times start again) and records them.
 */
public final class PhaseTimes {
    /** The file in the run folder. */
    public static final String FILE = "times.json";

    private PhaseTimes() {
    }

    /**
     * The seconds to report for a phase, recording them when this process ran steps of it.
     *
     * @param dir      the run folder
     * @param phase    {@code sft} or {@code rl}
     * @param ranSteps whether this process ran steps of the phase (always true for a new run)
     * @param seconds  this process's seconds for the phase
     * @return {@code seconds} when steps ran (or nothing was recorded), else the recorded seconds
     */
    public static double report(Path dir, String phase, boolean ranSteps, double seconds) throws IOException {
        Path file = dir.resolve(FILE);
        ObjectNode times = JsonNodeFactory.instance.objectNode();
        if (Files.isRegularFile(file)) {
            try {
                times = ConfigJson.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            } catch (IllegalArgumentException e) {
                times = JsonNodeFactory.instance.objectNode();     // unreadable (cut write of an old version): rewrite it
            }
        }
        JsonNode saved = times.get(phase + "Seconds");
        if (!ranSteps && saved != null && saved.isNumber()) {
            return saved.asDouble();
        }
        times.put(phase + "Seconds", seconds);
        AtomicFiles.writeString(file, ConfigJson.toJson(times));
        return seconds;
    }
}
