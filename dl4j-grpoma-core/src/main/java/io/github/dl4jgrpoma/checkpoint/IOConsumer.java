package io.github.dl4jgrpoma.checkpoint;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}: writes payload into the given stream or directory.
 *
 * @param <T> what is written into, e.g. an {@code OutputStream} or a directory {@code Path}
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /** Writes into {@code target}. */
    void accept(T target) throws IOException;
}
