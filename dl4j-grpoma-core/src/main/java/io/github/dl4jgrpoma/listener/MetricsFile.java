package io.github.dl4jgrpoma.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file behind a metrics listener ({@link CsvMetricsListener}, {@link JsonlMetricsListener}): opened
 * lazily in UTF-8 append mode (missing parent directories are created), one row per step flushed to the
 * operating system (not fsynced), IO failures rethrown as {@link UncheckedIOException} naming the file and
 * the step.
 */
final class MetricsFile {
    /** Produces the text of one row (with its line break); may do IO of its own first. */
    @FunctionalInterface
    interface Row {
        String text() throws IOException;
    }

    private final Path file;
    private Writer writer;

    /**
     * @param file    the file (created or appended to)
     * @param example the file name suggested when {@code file} is null
     */
    MetricsFile(Path file, String example) {
        if (file == null) {
            throw new IllegalArgumentException("file is null; fix: pass e.g. runDir.resolve(\"" + example + "\")");
        }
        this.file = file.toAbsolutePath();
    }

    /** The absolute path of the file. */
    Path path() {
        return file;
    }

    /** Whether the file is open for appending. */
    boolean isOpen() {
        return writer != null;
    }

    /** The append-mode writer, opening the file (and creating its directories) when it is not open. */
    Writer append() throws IOException {
        if (writer == null) {
            Files.createDirectories(file.getParent());
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return writer;
    }

    /** Closes the writer, if open, so that the file can be rewritten; {@link #append()} reopens it. */
    void closeWriter() throws IOException {
        Writer w = writer;
        writer = null;
        if (w != null) {
            w.close();
        }
    }

    /**
     * Checks the step's metric names against the fixed columns, then appends and flushes the row.
     *
     * @return {@link ListenerResponse#CONTINUE}
     */
    ListenerResponse write(StepEvent e, Row row) {
        MetricRows.checkNoClash(e, file);
        try {
            String text = row.text();
            Writer w = append();
            w.write(text);
            w.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the metrics row of " + e.phase() + " step " + e.step() + " to "
                    + file + ": " + ex + "; fix: check that the directory exists, is writable and the disk is not full", ex);
        }
        return ListenerResponse.CONTINUE;
    }

    /** Closes the file if open; a later row reopens it in append mode. */
    void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot close metrics file " + file + ": " + ex, ex);
            } finally {
                writer = null;
            }
        }
    }
}
