package io.github.dl4jgrpoma.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * The manifest {@value #FILE_NAME} of one checkpoint, a Java properties file:
 * <pre>
 * format.version=1
 * step=123
 * config.fingerprint=&lt;any string identifying the training config&gt;
 * created=2026-11-27T07:30:00Z
 * file.count=2
 * size.&lt;path&gt;=&lt;bytes&gt;
 * sha256.&lt;path&gt;=&lt;64 hex digits&gt;
 * </pre>
 *
 * @param formatVersion     manifest format, {@value #FORMAT_VERSION} for this code
 * @param step              training step the checkpoint was taken after, {@code >= 0}
 * @param configFingerprint identifies the config that wrote the checkpoint (compared on resume)
 * @param created           ISO-8601 UTC time of writing (informational)
 * @param files             payload files sorted by path (copied)
 */
public record CheckpointManifest(int formatVersion, long step, String configFingerprint, String created,
                                 List<PayloadFile> files) {

    /** File name of the manifest inside a checkpoint directory (reserved; payloads cannot use it). */
    public static final String FILE_NAME = "manifest.properties";
    /** The manifest format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    /** Validates and sorts. */
    public CheckpointManifest {
        if (step < 0) {
            throw new IllegalArgumentException("step is " + step + "; must be >= 0");
        }
        if (configFingerprint == null || created == null) {
            throw new IllegalArgumentException("configFingerprint and created must not be null");
        }
        List<PayloadFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparing(PayloadFile::path));
        files = List.copyOf(sorted);
    }

    /** The manifest as properties text. */
    public String toText() {
        Properties p = new Properties();
        p.setProperty("format.version", Integer.toString(formatVersion));
        p.setProperty("step", Long.toString(step));
        p.setProperty("config.fingerprint", configFingerprint);
        p.setProperty("created", created);
        p.setProperty("file.count", Integer.toString(files.size()));
        for (PayloadFile f : files) {
            p.setProperty("size." + f.path(), Long.toString(f.size()));
            p.setProperty("sha256." + f.path(), f.sha256());
        }
        StringWriter w = new StringWriter();
        try {
            p.store(w, "dl4j-grpoma checkpoint manifest");
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter cannot fail", e);
        }
        return w.toString();
    }

    /**
     * Reads {@code <dir>/manifest.properties}.
     *
     * @throws CheckpointException if it is missing, unreadable, from another format version, or malformed
     */
    public static CheckpointManifest read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("checkpoint " + dir + " has no " + FILE_NAME
                    + ": it is incomplete (written by an older tool or interrupted); fix: delete " + dir
                    + " and resume from the previous checkpoint");
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointException("cannot read " + file + ": " + e + "; fix: delete " + dir
                    + " and resume from the previous checkpoint", e);
        }
        try {
            int version = Integer.parseInt(require(p, "format.version", file));
            if (version != FORMAT_VERSION) {
                throw new CheckpointException(file + " has format.version " + version + " but this code reads "
                        + FORMAT_VERSION + "; fix: use the dl4j-grpoma version that wrote it");
            }
            long step = Long.parseLong(require(p, "step", file));
            int count = Integer.parseInt(require(p, "file.count", file));
            List<PayloadFile> files = new ArrayList<>();
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("sha256.")) {
                    String path = key.substring("sha256.".length());
                    long size = Long.parseLong(require(p, "size." + path, file));
                    files.add(new PayloadFile(path, size, p.getProperty(key)));
                }
            }
            if (files.size() != count) {
                throw new CheckpointException(file + " declares file.count=" + count + " but lists " + files.size()
                        + " files; the manifest is damaged; fix: delete " + dir
                        + " and resume from the previous checkpoint");
            }
            return new CheckpointManifest(version, step, require(p, "config.fingerprint", file),
                    require(p, "created", file), files);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + " is malformed: " + e.getMessage() + "; fix: delete " + dir
                    + " and resume from the previous checkpoint", e);
        }
    }

    private static String require(Properties p, String key, Path file) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new CheckpointException(file + " lacks the key '" + key + "'; the manifest is damaged; fix: delete "
                    + file.getParent() + " and resume from the previous checkpoint");
        }
        return v;
    }
}
