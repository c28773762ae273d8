package io.github.dl4jgrpoma.examples.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import io.github.dl4jgrpoma.examples.ProcessMemory;

/**
 * {@code bench-step --soak N}: N Java steps of one configuration, back to back as in a training loop (the step-end
 * collection runs beside the next rollout); prints the RSS every 100 steps (and at the end)
 * and the least-squares slope of RSS over steps, per 100 steps, fitted to a sample every 10 steps after the first
 * 10 % of the steps (warm-up: JIT, workspaces and caches settle). Each 100-step line splits the memory it can name:
 * the committed Java heap and JVM non-heap (code cache, metaspace) and RSS minus both. Committed is an upper bound of
 * what is resident, so "RSS minus both" is a lower bound of the native memory (ND4J's arrays and workspaces, glibc's
 * heap around them, the libraries) and can be negative when the committed heap is mostly untouched ({@code -Xms}); with
 * the committed heap fixed, a change of RSS is a change of native memory or of the heap's resident part.
 */
final class SoakRun {
    private SoakRun() {
    }

    static void run(StepSettings s, int steps, PrintStream out) {
        out.printf("soak: d=%d %s, %d steps%n", s.width(), s.shape(), steps);
        JavaStep java = new JavaStep(s);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        int skip = steps / 10;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        double stepSeconds = 0;
        for (int i = 1; i <= steps; i++) {
            stepSeconds += java.timedStep().get(StepTimes.STEP);
            long rssKb = ProcessMemory.currentRssKb();
            if (i > skip && (i % 10 == 0 || i == steps)) {
                double mb = rssKb / 1024.0;
                sx += i;
                sy += mb;
                sxx += (double) i * i;
                sxy += i * mb;
                n++;
            }
            if (i % 100 == 0 || i == steps) {
                double heap = mb(memory.getHeapMemoryUsage().getCommitted());
                double nonHeap = mb(memory.getNonHeapMemoryUsage().getCommitted());
                out.printf("  step %5d  RSS %7.1f MB  peak %s  mean step %.3f s  (Java heap committed %.1f MB, JVM"
                        + " non-heap %.1f MB, RSS minus both %.1f MB)%n", i, rssKb / 1024.0, ProcessMemory.peakRss(),
                        stepSeconds / i, heap, nonHeap, rssKb / 1024.0 - heap - nonHeap);
            }
        }
        double denominator = n * sxx - sx * sx;
        if (n >= 2 && denominator > 0) {
            double slope = (n * sxy - sx * sy) / denominator;
            out.printf("RSS slope after step %d: %.2f MB per 100 steps (%d samples)%n", skip, slope * 100, n);
        } else {
            out.println("RSS slope: too few samples (run at least 20 steps)");
        }
        out.println("peak RSS (VmHWM): " + ProcessMemory.peakRss());
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
