package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * A resumed run's metrics files: rows written after the checkpoint it resumes from (the steps a crash cut
 * off, which the run will redo) are removed, so that the file continues without duplicates; the kept rows can
 * be read back as step events (for plots that cover the whole run). Files are the CSV layout of
 * {@link io.github.dl4jgrpoma.listener.CsvMetricsListener} ({@code phase,step,total_steps,elapsed_ms,...}) or any
 * CSV whose first column is the step when {@code stepColumn} is 0.
 */
public final class ResumedMetrics {
    private ResumedMetrics() {
    }

    /**
     * Keeps the header and the rows whose step is at most {@code step}; rewrites the file atomically. A missing
     * file is left missing.
     *
     * @param stepColumn index of the step column (1 in the listener's layout)
     * @return the kept rows, without the header
     */
    public static List<String> truncateAfter(Path file, long step, int stepColumn) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            try {
                if (cells.length > stepColumn && Long.parseLong(cells[stepColumn]) <= step) {
                    kept.add(line);
                }
            } catch (NumberFormatException e) {
                // a row cut by a crash: dropped
            }
        }
        StringBuilder sb = new StringBuilder(lines.get(0)).append('\n');
        kept.forEach(l -> sb.append(l).append('\n'));
        AtomicFiles.writeString(file, sb.toString());
        return kept;
    }

    /**
     * {@link #truncateAfter} of a listener CSV, returning the kept rows as step events (empty cells are left
     * out of the metrics).
     *
     * @throws io.github.dl4jgrpoma.checkpoint.CheckpointException for a kept row that does not parse (names the file,
     *                                                             the row and the fix)
     */
    public static List<StepEvent> truncateAndRead(Path file, long step) throws IOException {
        List<String> rows = truncateAfter(file, step, 1);
        if (rows.isEmpty()) {
            return List.of();
        }
        String[] header = Files.readAllLines(file, StandardCharsets.UTF_8).get(0).split(",", -1);
        List<StepEvent> out = new ArrayList<>();
        for (String row : rows) {
            String[] c = row.split(",", -1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            try {
                for (int i = 4; i < Math.min(c.length, header.length); i++) {
                    if (!c[i].isEmpty()) {
                        metrics.put(header[i], Double.parseDouble(c[i]));
                    }
                }
                out.add(new StepEvent(c[0], Long.parseLong(c[1]), Long.parseLong(c[2]), Long.parseLong(c[3]), metrics));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw new io.github.dl4jgrpoma.checkpoint.CheckpointException(file + ": the row '" + row + "' is not a"
                        + " metrics row (" + e.getMessage() + "); fix: delete that row (the resume redoes its step) or"
                        + " start over with --overwrite");
            }
        }
        return out;
    }

    /**
     * Restores the newest valid SFT checkpoint of {@code trainer} and cuts {@code metricsCsv} back to it (the steps
     * after it are redone).
     *
     * @throws io.github.dl4jgrpoma.checkpoint.CheckpointException if the checkpoints are corrupt or were written
     *                                                             with other settings
     */
    public static ResumedSft resumeSft(io.github.dl4jgrpoma.train.SftTrainer trainer, Path metricsCsv) throws IOException {
        long k = trainer.restoreLatest().orElse(0);
        List<StepEvent> kept = truncateAndRead(metricsCsv, k);
        return new ResumedSft(k, kept.isEmpty() ? Double.NaN
                : kept.get(kept.size() - 1).metrics().getOrDefault("sft/loss", Double.NaN));
    }
}
