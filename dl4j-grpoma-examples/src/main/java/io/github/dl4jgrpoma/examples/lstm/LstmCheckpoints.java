package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.checkpoint.CheckpointException;
import io.github.dl4jgrpoma.dl4j.GrpoMaCheckpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The checkpoints of an lstm run: {@code checkpoints/sft/step-NNNNNNN.zip} and {@code checkpoints/rl/step-NNNNNNN.zip},
 * DL4J {@link ModelSerializer} files with the updater (Adam) state, written atomically ({@link AtomicFiles}: a crash
 * leaves the previous file intact) every {@code every} steps of the phase and at its last step; the newest
 * {@value #KEEP} of a phase are kept. A file's name is its step within the phase; the network's iteration count is
 * set from it on loading (DL4J saves inside {@code iterationDone}, before it counts the update).
 */
final class LstmCheckpoints {
    /** SFT checkpoint interval in steps. */
    static final int SFT_EVERY = 100;
    /** RL checkpoint interval in steps. */
    static final int RL_EVERY = 20;
    /** Checkpoints kept per phase. */
    static final int KEEP = 2;
    private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.zip");

    /** A checkpoint file and the phase step it holds. */
    record Saved(long step, Path file) {
    }

    private LstmCheckpoints() {
    }

    /** The newest checkpoint of a phase folder, if any. */
    static Optional<Saved> newest(Path phaseDir) throws IOException {
        List<Saved> all = list(phaseDir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Restores a checkpoint with its updater state and sets the iteration count to {@code iterationCount}.
     *
     * @throws CheckpointException naming the file when it cannot be read
     */
    static MultiLayerNetwork load(Saved c, long iterationCount) {
        try {
            MultiLayerNetwork net = GrpoMaCheckpoints.load(c.file().toFile());
            net.setIterationCount((int) iterationCount);
            return net;
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + c.file() + " cannot be restored (" + e.getMessage()
                    + "); fix: delete it to resume from the one before, or start over with --overwrite", e);
        }
    }

    /**
     * A DL4J listener saving the phase's checkpoints: the update after which it is called is phase step
     * {@code done + 1, done + 2, ...}; it saves at multiples of {@code every} and at {@code last}.
     */
    static BaseTrainingListener saver(Path phaseDir, long done, long last, int every) {
        return new BaseTrainingListener() {
            private long step = done;

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                step++;
                if (step % every == 0 || step == last) {
                    try {
                        Path target = phaseDir.resolve(String.format(Locale.ROOT, "step-%07d.zip", step));
                        AtomicFiles.write(target, os -> ModelSerializer.writeModel(model, os, true));
                        List<Saved> all = list(phaseDir);
                        for (Saved old : all.subList(0, Math.max(0, all.size() - KEEP))) {
                            Files.deleteIfExists(old.file());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write the checkpoint of step " + step + " into " + phaseDir, e);
                    }
                }
            }
        };
    }

    private static List<Saved> list(Path phaseDir) throws IOException {
        if (!Files.isDirectory(phaseDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(phaseDir)) {
            return s.map(p -> {
                Matcher m = NAME.matcher(p.getFileName().toString());
                return m.matches() ? new Saved(Long.parseLong(m.group(1)), p) : null;
            }).filter(java.util.Objects::nonNull).sorted(java.util.Comparator.comparingLong(Saved::step)).toList();
        }
    }
}
