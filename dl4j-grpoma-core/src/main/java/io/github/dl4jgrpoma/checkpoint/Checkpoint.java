package io.github.dl4jgrpoma.checkpoint;

import java.nio.file.Path;

/**
 * A published checkpoint of a {@link CheckpointStore}.
 *
 * @param step      the training step
 * @param directory the checkpoint directory {@code <root>/step-000123}
 * @param manifest  its manifest
 */
public record Checkpoint(long step, Path directory, CheckpointManifest manifest) {

    /** Validates the fields. */
    public Checkpoint {
        if (directory == null || manifest == null) {
            throw new IllegalArgumentException("directory and manifest must not be null");
        }
        if (manifest.step() != step) {
            throw new IllegalArgumentException("step " + step + " differs from the manifest's step " + manifest.step());
        }
    }

    /** The config fingerprint recorded when the checkpoint was written. */
    public String configFingerprint() {
        return manifest.configFingerprint();
    }

    /**
     * The path of a payload file listed in the manifest.
     *
     * @throws CheckpointException if the manifest does not list it, naming the files it does list
     */
    public Path file(String relativePath) {
        for (PayloadFile f : manifest.files()) {
            if (f.path().equals(relativePath)) {
                return directory.resolve(relativePath);
            }
        }
        throw new CheckpointException("checkpoint " + directory + " has no payload '" + relativePath + "' (it has: "
                + manifest.files().stream().map(PayloadFile::path).toList() + ")");
    }

    /**
     * Checks that this checkpoint was written with the same configuration.
     *
     * @throws CheckpointException naming both fingerprints and the fix, when they differ
     */
    public void requireFingerprint(String expected) {
        if (!manifest.configFingerprint().equals(expected)) {
            throw new CheckpointException("checkpoint " + directory + " was written with config fingerprint '"
                    + manifest.configFingerprint() + "' but the current config has fingerprint '" + expected
                    + "'; fix: resume with the config that wrote it, or start the new config in a fresh checkpoint"
                    + " directory");
        }
    }
}
