package io.github.dl4jgrpoma.examples.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's load average ({@code /proc/loadavg}, Linux), printed next to benchmark numbers. */
final class SystemLoad {
    private SystemLoad() {
    }

    /** The 1, 5 and 15 minute load averages, e.g. {@code "1.02 0.87 0.55"}, or {@code "n/a"}. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : "n/a";
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
