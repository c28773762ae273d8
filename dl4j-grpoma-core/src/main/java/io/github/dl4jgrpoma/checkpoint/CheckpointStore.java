package io.github.dl4jgrpoma.checkpoint;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of checkpoints {@code <root>/step-000123/}, each holding payload files plus a
 * {@link CheckpointManifest}.
 *
 * <p><b>Saving</b> ({@link #save}): the payload writer fills a fresh hidden directory
 * {@code <root>/.tmp-step-000123-<random>}; the store forces every file to disk, records its size and
 * SHA-256 in the manifest, forces the directory, and publishes it by one atomic rename to
 * {@code step-000123}. A crash before the rename leaves only the hidden directory, which readers ignore and
 * the next {@code save} deletes; the previous checkpoints are untouched. If {@code step-000123} already
 * exists (a rerun after resuming from an older checkpoint) it is replaced.
 *
 * <p><b>Retention</b>: after a save, the saved checkpoint and the {@code keepLast - 1} newest checkpoints
 * with a <em>smaller</em> step are kept (every {@code step-*} directory counts, valid or not: retention does
 * not re-hash); older ones are deleted (renamed to a hidden name first, so a
 * half-deleted directory never looks like a checkpoint). Checkpoints with a <em>larger</em> step than the
 * one just saved belong to a run that was rolled back; they are kept and a WARN says so, because
 * {@link #latest()} would return them.
 *
 * <p><b>Reading</b>: {@link #latest()} returns the newest checkpoint that passes {@link #verify(Path)},
 * logging a WARN for each newer one that does not. {@code verify} re-hashes every payload file.
 *
 * <p>One writer per store at a time; readers may run concurrently with a writer. The constructor does not
 * touch the disk.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("step-(\\d{1,18})");
    private static final String TMP_PREFIX = ".tmp-";
    private static final String TRASH_PREFIX = ".trash-";

    /** Default number of checkpoints kept. */
    public static final int DEFAULT_KEEP_LAST = 3;

    private final Path root;
    private final int keepLast;
    private final Clock clock;

    /**
     * @param root     directory holding the checkpoints (created on the first save)
     * @param keepLast how many checkpoints to keep, {@code >= 1}
     * @param clock    source of the manifest's {@code created} time
     */
    public CheckpointStore(Path root, int keepLast, Clock clock) {
        if (root == null || clock == null) {
            throw new IllegalArgumentException("root and clock must not be null; fix: pass a directory and Clock.systemUTC()");
        }
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast is " + keepLast
                    + "; fix: keep at least 1 checkpoint (default " + DEFAULT_KEEP_LAST + ")");
        }
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("checkpoint directory " + root.toAbsolutePath() + " is an existing file, not a"
                    + " directory; fix: pass a directory (it is created if missing)");
        }
        this.root = root.toAbsolutePath().normalize();
        this.keepLast = keepLast;
        this.clock = clock;
    }

    /** A store with the system UTC clock. */
    public CheckpointStore(Path root, int keepLast) {
        this(root, keepLast, Clock.systemUTC());
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** How many checkpoints are kept. */
    public int keepLast() {
        return keepLast;
    }

    /** Directory name of a step: {@code step-} and the step zero-padded to 6 digits. */
    public static String directoryName(long step) {
        return String.format("step-%06d", step);
    }

    /**
     * Writes and publishes the checkpoint of {@code step}.
     *
     * @param step              training step, {@code >= 0}
     * @param configFingerprint identifies the config, recorded for {@link Checkpoint#requireFingerprint}
     * @param payloadWriter     writes the payload files into the directory it receives (nested
     *                          directories allowed; no symbolic links; not {@value CheckpointManifest#FILE_NAME})
     * @return the published checkpoint
     * @throws CheckpointException if the writer fails or writes nothing, or the disk refuses; the
     *                             previously published checkpoints are then untouched
     */
    public Checkpoint save(long step, String configFingerprint, IOConsumer<Path> payloadWriter) {
        if (step < 0) {
            throw new IllegalArgumentException("step is " + step + "; fix: pass the number of completed steps (>= 0)");
        }
        if (configFingerprint == null || payloadWriter == null) {
            throw new IllegalArgumentException("configFingerprint and payloadWriter must not be null");
        }
        String name = directoryName(step);
        Path tmp = null;
        try {
            Files.createDirectories(root);
            deleteLeftovers();
            tmp = AtomicFiles.createUnique(root, TMP_PREFIX + name + "-", "", true);
            try {
                payloadWriter.accept(tmp);
            } catch (IOException | RuntimeException e) {
                throw new CheckpointException("the payload writer failed while writing checkpoint " + name + " in " + root
                        + ": " + e + "; the previous checkpoints are untouched", e);
            }
            CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, step,
                    configFingerprint, clock.instant().toString(), describePayload(tmp, name));
            AtomicFiles.writeString(tmp.resolve(CheckpointManifest.FILE_NAME), manifest.toText());
            AtomicFiles.fsyncDirectory(tmp);
            Path target = root.resolve(name);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn("replacing existing checkpoint {}", target);
                removeDirectory(target);
            }
            AtomicFiles.moveAtomically(tmp, target);
            tmp = null;
            AtomicFiles.fsyncDirectory(root);
            Checkpoint saved = new Checkpoint(step, target, manifest);
            prune(step);
            return saved;
        } catch (IOException e) {
            throw new CheckpointException("cannot write checkpoint " + name + " in " + root + ": " + e
                    + "; fix: check free disk space and write permission; the previous checkpoints are untouched", e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * The newest checkpoint that verifies; newer ones that do not are skipped with a WARN naming the
     * problem. Hidden temporary directories are ignored.
     *
     * @return empty if there is none
     */
    public Optional<Checkpoint> latest() {
        List<Path> dirs = new ArrayList<>(checkpointDirectories());
        java.util.Collections.reverse(dirs);
        for (Path dir : dirs) {
            try {
                return Optional.of(verify(dir));
            } catch (CheckpointException e) {
                LOG.warn("skipping invalid checkpoint: {}", e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Published checkpoint directories (named {@code step-<digits>}), oldest first, not verified. */
    public List<Path> checkpointDirectories() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new CheckpointException("cannot list checkpoint directory " + root + ": " + e, e);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    /**
     * Verifies a checkpoint directory: manifest present and readable, its step equal to the directory's,
     * every listed payload file present with the recorded size and SHA-256. Files not listed are ignored.
     *
     * @return the checkpoint
     * @throws CheckpointException naming the file, expected and actual values, and the fix
     */
    public Checkpoint verify(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new CheckpointException(dir + " is not a checkpoint directory (expected a name like "
                    + directoryName(123) + ")");
        }
        long step = Long.parseLong(m.group(1));
        CheckpointManifest manifest = CheckpointManifest.read(dir);
        String fix = "; fix: delete " + dir + " and resume from the previous checkpoint";
        if (manifest.step() != step) {
            throw new CheckpointException("checkpoint " + dir + " has a manifest for step " + manifest.step()
                    + " but its directory name says step " + step + fix);
        }
        for (PayloadFile f : manifest.files()) {
            Path file = dir.resolve(f.path());
            try {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new CheckpointException("checkpoint " + dir + " is corrupt: payload file '" + f.path()
                            + "' is missing" + fix);
                }
                long size = Files.size(file);
                if (size != f.size()) {
                    throw new CheckpointException("checkpoint " + dir + " is corrupt: payload file '" + f.path()
                            + "' has " + size + " bytes but the manifest expects " + f.size() + fix);
                }
                String sha = Sha256.of(file);
                if (!sha.equals(f.sha256())) {
                    throw new CheckpointException("checkpoint " + dir + " is corrupt: payload file '" + f.path()
                            + "' has SHA-256 " + sha + " but the manifest expects " + f.sha256() + fix);
                }
            } catch (IOException e) {
                throw new CheckpointException("cannot read payload file '" + f.path() + "' of checkpoint " + dir + ": "
                        + e + fix, e);
            }
        }
        return new Checkpoint(step, dir, manifest);
    }

    /** Re-verifies a checkpoint (e.g. right before loading it). */
    public Checkpoint verify(Checkpoint checkpoint) {
        return verify(checkpoint.directory());
    }

    private List<PayloadFile> describePayload(Path tmp, String name) throws IOException {
        List<PayloadFile> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = tmp.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (rel.equals(CheckpointManifest.FILE_NAME)) {
                        throw new CheckpointException("the payload writer of checkpoint " + name + " wrote '"
                                + CheckpointManifest.FILE_NAME + "', a name the store reserves; fix: rename that payload file");
                    }
                    AtomicFiles.fsync(p);
                    files.add(new PayloadFile(rel, Files.size(p), Sha256.of(p)));
                } else {
                    throw new CheckpointException("the payload writer of checkpoint " + name + " created '" + rel
                            + "', which is not a regular file or directory; fix: write plain files only (no links)");
                }
            }
        }
        if (files.isEmpty()) {
            throw new CheckpointException("the payload writer of checkpoint " + name
                    + " wrote no files; fix: write at least one payload file into the directory it receives");
        }
        for (Path d : dirs) {
            AtomicFiles.fsyncDirectory(d);
        }
        return files;
    }

    private void prune(long savedStep) {
        List<Path> older = new ArrayList<>();
        for (Path dir : checkpointDirectories()) {
            long s = stepOf(dir);
            if (s < savedStep) {
                older.add(dir);
            } else if (s > savedStep) {
                LOG.warn("checkpoint {} is newer than the one just saved (step {}): it belongs to a run that was rolled"
                        + " back and latest() will return it; delete it if that run is abandoned", dir, savedStep);
            }
        }
        int delete = older.size() - (keepLast - 1);
        for (int i = 0; i < delete; i++) {
            try {
                removeDirectory(older.get(i));
            } catch (IOException e) {
                LOG.warn("could not delete old checkpoint {}: {}", older.get(i), e.toString());
            }
        }
    }

    /** Deletes hidden temporary and trash directories left by an interrupted save or delete. */
    private void deleteLeftovers() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(TMP_PREFIX) || n.startsWith(TRASH_PREFIX)) {
                    LOG.info("deleting leftover of an interrupted checkpoint write: {}", p);
                    deleteQuietly(p);
                }
            }
        }
    }

    /** Renames the directory to a hidden trash name (atomic), then deletes it recursively. */
    private void removeDirectory(Path dir) throws IOException {
        Path trash = Files.createTempDirectory(root, TRASH_PREFIX + dir.getFileName() + "-");
        Path moved = trash.resolve(dir.getFileName());
        AtomicFiles.moveAtomically(dir, moved);
        AtomicFiles.fsyncDirectory(root);
        deleteQuietly(trash);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    private static long stepOf(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException("not a checkpoint directory: " + dir);
        }
        return Long.parseLong(m.group(1));
    }
}
