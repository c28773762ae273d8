package io.github.dl4jgrpoma.checkpoint;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic, durable file replacement.
 *
 * <p>{@link #write} writes to a temporary file {@code .<name>.<random>.tmp} in the target's directory,
 * forces it to disk ({@link FileChannel#force(boolean)}), renames it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} and {@link StandardCopyOption#REPLACE_EXISTING}, then forces the
 * directory entry to disk where the platform allows it (Linux and macOS do; Windows cannot open a
 * directory for syncing, which is then skipped). A crash at any point leaves the previous version or the
 * new one, never a mix; at worst an orphaned {@code .tmp} file remains. Files and directories are created
 * with the permissions the process's umask gives (as {@code open(2)} / {@code mkdir(2)} do), not the owner-only
 * permissions of {@link Files#createTempFile}.
 */
public final class AtomicFiles {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

    private AtomicFiles() {
    }

    /**
     * Atomically replaces {@code target} with the bytes {@code writer} writes. Closing the stream inside
     * the writer is allowed and only flushes it. Missing parent directories are created.
     *
     * @throws IOException if writing, syncing or renaming fails; the target is then untouched and the
     *                     temporary file is removed
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = createUnique(dir, "." + abs.getFileName() + ".", ".tmp", false);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                writer.accept(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                ch.force(true);
            }
            moveAtomically(tmp, abs);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDirectory(dir);
    }

    /**
     * Creates a new empty file (or directory) {@code prefix + random + suffix} in {@code dir}, with the default
     * permissions of the umask.
     *
     * @throws IOException if it cannot be created
     */
    public static Path createUnique(Path dir, String prefix, String suffix, boolean directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(prefix + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36)
                    + suffix);
            try {
                return directory ? Files.createDirectory(p) : Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Renames {@code source} to {@code target} atomically, replacing a target file (or an empty target
     * directory).
     *
     * @throws IOException with an explanation when the file system cannot rename atomically (e.g. source
     *                     and target on different file systems)
     */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically (" + e.getMessage()
                    + "); fix: keep checkpoints and their temporary files on one local file system", e);
        }
    }

    /** Forces a regular file's content and metadata to disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Forces a directory's entries (creations, renames) to disk. Best effort: where the platform cannot
     * open a directory (Windows) this is skipped with a DEBUG log.
     */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {} on this platform: {}", dir, e.toString());
        }
    }
}
