package io.github.dl4jgrpoma.listener;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Appends one JSON object per step to a file (JSON Lines, UTF-8):
 * <pre>{"phase":"rl","step":1,"total_steps":100,"elapsed_ms":1520,"loss":0.6931471805599453,"reward/mean":0.25}</pre>
 *
 * <p>The four fixed fields come first, then the step's metrics in their order; a row simply has the
 * metrics its step reported, so new metrics need no special handling. Metrics may not be named like a
 * fixed field. Values use {@link Double#toString(double)} (parses back to the identical double); since
 * strict JSON has no NaN or infinity, non-finite values are written as {@code null}. An existing file is
 * appended to. Each row is flushed when written; an IO failure throws an {@link UncheckedIOException}
 * naming the file and step. The file is closed at {@code onEnd} (or {@link #close()}).
 */
public final class JsonlMetricsListener implements TrainingListener, AutoCloseable {
    private final MetricsFile out;

    /** @param file the JSONL file (created or appended to) */
    public JsonlMetricsListener(Path file) {
        this.out = new MetricsFile(file, "metrics.jsonl");
    }

    /** The file written. */
    public Path file() {
        return out.path();
    }

    /** The JSON object written for a step (without the line break). */
    public static String toJson(StepEvent e) {
        StringBuilder sb = new StringBuilder("{\"phase\":").append(string(e.phase()))
                .append(",\"step\":").append(e.step())
                .append(",\"total_steps\":").append(e.totalSteps())
                .append(",\"elapsed_ms\":").append(e.elapsedMillis());
        e.metrics().forEach((k, v) -> sb.append(',').append(string(k)).append(':')
                .append(Double.isFinite(v) ? Double.toString(v) : "null"));
        return sb.append('}').toString();
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        return out.write(e, () -> toJson(e) + '\n');
    }

    @Override
    public void onEnd(TrainingEndEvent event) {
        close();
    }

    /** Closes the file; a later step reopens it in append mode. */
    @Override
    public void close() {
        out.close();
    }

    /** A JSON string literal: escapes quote, backslash and control characters. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
