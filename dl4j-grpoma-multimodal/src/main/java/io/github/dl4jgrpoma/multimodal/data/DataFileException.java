package io.github.dl4jgrpoma.multimodal.data;

import java.nio.file.Path;

/**
 * A data file is missing, unreadable or not what it should be. The message names the file, what is wrong
 * and the one command that installs it; {@link #file()} gives the path.
 */
public final class DataFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /**
     * @param file    the offending file
     * @param problem what is wrong, for example "is missing" or "is truncated: 100 bytes, expected 7840016"
     * @param fix     the command that installs a good copy, for example {@code bash scripts/fetch-mnist.sh}
     */
    public DataFileException(Path file, String problem, String fix) {
        super("data file " + file + " " + problem + "; install it with: " + fix);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
