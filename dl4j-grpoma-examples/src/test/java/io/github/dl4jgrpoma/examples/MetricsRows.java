package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a metrics CSV for comparisons between runs. */
public final class MetricsRows {
    private MetricsRows() {
    }

    /** The rows as column -> cell, without the columns that measure time or the planned total. */
    public static List<Map<String, String>> withoutTimes(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",", -1);
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",", -1);
            Map<String, String> row = new TreeMap<>();
            for (int i = 0; i < header.length; i++) {
                String h = header[i];
                if (!h.equals("elapsed_ms") && !h.equals("total_steps") && !h.startsWith("time/") && !h.equals("tokens_per_s")) {
                    row.put(h, i < c.length ? c[i] : "");
                }
            }
            out.add(row);
        }
        return out;
    }
}
