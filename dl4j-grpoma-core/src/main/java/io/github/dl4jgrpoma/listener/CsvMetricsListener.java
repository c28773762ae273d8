package io.github.dl4jgrpoma.listener;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;

/**
 * Appends one CSV row per step to a file (RFC 4180 quoting, UTF-8, {@code \n} line ends):
 * <pre>
 * phase,step,total_steps,elapsed_ms,loss,reward/mean
 * rl,1,100,1520,0.6931471805599453,0.25
 * </pre>
 *
 * <p><b>Columns.</b> The four fixed columns are followed by the metric names of the first step, in its
 * order. If the file already exists and is not empty (a resumed run), its header is reused and rows are
 * appended (after a line break if a crash left the last row unterminated). A step that lacks a column's metric leaves the cell empty. When a step brings a metric that
 * has no column yet, the column is added at the end: the file is rewritten once, atomically, with the
 * widened header and an empty cell for that column in every earlier row, so the file is always a valid
 * rectangular CSV. Metrics may not be named like a fixed column.
 *
 * <p><b>Values.</b> {@link Double#toString(double)}, which parses back to the identical double;
 * non-finite values are written as {@code NaN}, {@code Infinity}, {@code -Infinity}.
 *
 * <p><b>IO.</b> Missing parent directories are created. Each row is flushed to the operating system when
 * written (not fsynced). An IO failure throws an {@link UncheckedIOException} naming the file and step,
 * which aborts training. The file is closed at {@code onEnd} (or {@link #close()}).
 */
public final class CsvMetricsListener implements TrainingListener, AutoCloseable {
    private final MetricsFile out;
    private final Path file;
    private final List<String> columns = new ArrayList<>();
    private boolean headerKnown;

    /** @param file the CSV file (created or appended to) */
    public CsvMetricsListener(Path file) {
        this.out = new MetricsFile(file, "metrics.csv");
        this.file = out.path();
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** The metric columns so far (after the fixed ones). */
    public List<String> metricColumns() {
        return List.copyOf(columns);
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        return out.write(e, () -> row(e));
    }

    /** Opens or widens the file as the step needs, then gives the step's row. */
    private String row(StepEvent e) throws IOException {
        if (!headerKnown) {
            openWithHeader(e);
        }
        List<String> added = new ArrayList<>();
        for (String k : e.metrics().keySet()) {
            if (!columns.contains(k)) {
                added.add(k);
            }
        }
        if (!added.isEmpty()) {
            widen(added);
        }
        List<String> cells = new ArrayList<>(List.of(e.phase(), Long.toString(e.step()),
                Long.toString(e.totalSteps()), Long.toString(e.elapsedMillis())));
        for (String c : columns) {
            Double v = e.metrics().get(c);
            cells.add(v == null ? "" : Double.toString(v));
        }
        return line(cells);
    }

    @Override
    public void onEnd(TrainingEndEvent event) {
        close();
    }

    /** Closes the file; a later step reopens it in append mode. */
    @Override
    public void close() {
        if (out.isOpen()) {
            try {
                out.close();
            } finally {
                headerKnown = false;
                columns.clear();
            }
        }
    }

    private void openWithHeader(StepEvent e) throws IOException {
        if (Files.exists(file) && Files.size(file) > 0) {
            String header;
            try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                header = r.readLine();
            }
            List<String> names = parseLine(header == null ? "" : header);
            if (names.size() < MetricRows.FIXED.size() || !names.subList(0, MetricRows.FIXED.size()).equals(MetricRows.FIXED)) {
                throw new IOException("existing file does not start with the header " + String.join(",", MetricRows.FIXED)
                        + " (found '" + header + "'); fix: choose a new metrics file or delete this one");
            }
            columns.addAll(names.subList(MetricRows.FIXED.size(), names.size()));
            Writer writer = out.append();
            if (!endsWithNewline()) {
                writer.write('\n'); // a row cut by a crash stays a (short) row of its own
            }
        } else {
            columns.addAll(e.metrics().keySet());
            out.append().write(header());
        }
        headerKnown = true;
    }

    private void widen(List<String> added) throws IOException {
        out.closeWriter();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        columns.addAll(added);
        String pad = ",".repeat(added.size());
        AtomicFiles.write(file, os -> {
            Writer w = new BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8));
            w.write(header());
            for (int i = 1; i < lines.size(); i++) {
                w.write(lines.get(i) + pad + "\n");
            }
            w.flush();
        });
        out.append();
    }

    private boolean endsWithNewline() throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            ch.position(ch.size() - 1);
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b);
            return b.get(0) == '\n';
        }
    }

    private String header() {
        List<String> all = new ArrayList<>(MetricRows.FIXED);
        all.addAll(columns);
        return line(all);
    }

    private static String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(cells.get(i)));
        }
        return sb.append('\n').toString();
    }

    /** RFC 4180: quote a cell containing a comma, a quote or a line break; double inner quotes. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** Splits one CSV line (no embedded line breaks) into cells, undoing RFC 4180 quoting. */
    static List<String> parseLine(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        cells.add(cur.toString());
        return cells;
    }
}
