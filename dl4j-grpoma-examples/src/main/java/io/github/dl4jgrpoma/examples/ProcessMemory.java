package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux), for benchmarks and run summaries. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak resident set size ({@code VmHWM}), for example {@code "444048 kB"}, or {@code "n/a"}. */
    public static String peakRss() {
        return status("VmHWM");
    }

    /** Current resident set size ({@code VmRSS}), or {@code "n/a"}. */
    public static String currentRss() {
        return status("VmRSS");
    }

    /** Current resident set size in kB, or -1 where {@code /proc/self/status} is not readable. */
    public static long currentRssKb() {
        String v = status("VmRSS");
        return v.endsWith(" kB") ? Long.parseLong(v.substring(0, v.length() - 3).trim()) : -1;
    }

    private static String status(String key) {
        Path p = Path.of("/proc/self/status");
        if (!Files.isReadable(p)) {
            return "n/a";
        }
        try {
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith(key + ":")) {
                    return line.substring(key.length() + 1).trim();
                }
            }
        } catch (IOException e) {
            return "n/a";
        }
        return "n/a";
    }
}
