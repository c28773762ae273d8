package io.github.dl4jgrpoma.checkpoint;

import java.util.regex.Pattern;

/**
 * One payload file of a checkpoint as recorded in its manifest.
 *
 * @param path   path relative to the checkpoint directory, {@code /}-separated, no {@code ..}
 * @param size   size in bytes, {@code >= 0}
 * @param sha256 lower-case hex SHA-256 of the content (64 characters)
 */
public record PayloadFile(String path, long size, String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** Validates the fields. */
    public PayloadFile {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")
                || ("/" + path + "/").contains("/../") || ("/" + path + "/").contains("/./")) {
            throw new IllegalArgumentException("payload path '" + path
                    + "' is invalid; fix: use a relative, '/'-separated path inside the checkpoint directory");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size of payload '" + path + "' is " + size + "; must be >= 0");
        }
        if (sha256 == null || !HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256 of payload '" + path + "' is '" + sha256
                    + "'; must be 64 lower-case hex characters");
        }
    }
}
