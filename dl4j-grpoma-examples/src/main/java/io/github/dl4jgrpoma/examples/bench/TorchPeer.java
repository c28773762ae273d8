package io.github.dl4jgrpoma.examples.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch implementation of the same step ({@code scripts/bench_step_torch.py}) as a child process driven
 * line by line, so that its steps interleave with the Java ones: {@link #step()} writes {@code step} and parses
 * the reply, a line of {@code key=value} pairs. The child gets {@code OMP_WAIT_POLICY=PASSIVE} (unless set):
 * on 2 cores spinning OpenMP workers slow both processes (DL4J-NOTES section 8).
 */
final class TorchPeer implements AutoCloseable {
    /** How to install the peer's dependencies on Debian. */
    static final String INSTALL_HINT = "apt-get install python3-torch libopenblas0-pthread (or run scripts/setup-bench.sh)";

    private final Process process;
    private final BufferedReader in;
    private final BufferedWriter out;
    private final Path stderr;
    private final String banner;
    private long lastPeakRssKb;

    private TorchPeer(Process process, Path stderr) throws IOException {
        this.process = process;
        this.stderr = stderr;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        String first = in.readLine();
        if (first == null || !first.startsWith("ready")) {
            String err = tail();
            close();
            throw new IOException("the PyTorch peer did not start (" + (first == null ? "no output" : first) + ")"
                    + (err.isEmpty() ? "" : ": " + err));
        }
        this.banner = first.substring("ready".length()).trim();
    }

    /**
     * Starts the peer for one configuration.
     *
     * @param packing the row layout the Java trainer resolved to, so both sides forward the same rows: TREE packs one
     *                row per thought in the peer too, anything else one row per answer
     * @throws IOException if python cannot start or the script fails before it is ready (e.g. no torch)
     */
    static TorchPeer start(String python, Path script, StepSettings s, int threads,
                           io.github.dl4jgrpoma.train.RowPacking packing) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--width", str(s.width()), "--layers",
                str(s.layers()), "--heads", str(s.heads()), "--vocab", str(s.vocab()), "--prompts", str(s.prompts()),
                "--prompt-length", str(s.promptLength()), "--thought", str(s.thought()), "--answer", str(s.answer()),
                "--k", str(s.thoughts()), "--m", str(s.answers()), "--seed", Long.toString(s.seed()),
                "--threads", str(threads), "--beta", Double.toString(s.beta()), "--row-packing",
                packing == io.github.dl4jgrpoma.train.RowPacking.TREE ? "tree" : "per-answer"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Path err = Files.createTempFile("bench-step-torch", ".err");
        pb.redirectError(err.toFile());
        try {
            return new TorchPeer(pb.start(), err);
        } catch (IOException e) {
            Files.deleteIfExists(err);
            throw e;
        }
    }

    /** True when {@code python -c "import torch"} succeeds (within 60 s). */
    static boolean available(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code scripts/bench_step_torch.py} under {@code $GRPOMA_ROOT} (set by {@code bin/grpoma}), else under the
     * working directory or one of its parents.
     */
    static Path findScript() {
        String root = System.getenv("GRPOMA_ROOT");
        if (root != null && Files.isRegularFile(Path.of(root, "scripts", "bench_step_torch.py"))) {
            return Path.of(root, "scripts", "bench_step_torch.py");
        }
        for (File d = new File("").getAbsoluteFile(); d != null; d = d.getParentFile()) {
            Path p = d.toPath().resolve("scripts").resolve("bench_step_torch.py");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return Path.of("scripts", "bench_step_torch.py");
    }

    /** What the peer reported at start: its thread count and torch version. */
    String banner() {
        return banner;
    }

    /** Runs one step in the peer and returns its split (its peak RSS is then {@link #lastPeakRssKb()}). */
    StepTimes step() throws IOException {
        out.write("step\n");
        out.flush();
        String line = in.readLine();
        if (line == null || line.startsWith("error")) {
            throw new IOException("the PyTorch peer failed: " + (line == null ? "no reply" : line) + " " + tail());
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : line.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (String k : StepTimes.PARTS) {
            seconds.put(k, number(kv, k, line));
        }
        seconds.put(StepTimes.STEP, number(kv, StepTimes.STEP, line));
        seconds.put(StepTimes.CPU, number(kv, StepTimes.CPU, line));
        lastPeakRssKb = (long) number(kv, "rss_peak_kb", line);
        return new StepTimes(seconds, (long) number(kv, "sampled", line), (long) number(kv, "update_tokens", line));
    }

    /** Peak resident set size of the peer (kB) as of its last step. */
    long lastPeakRssKb() {
        return lastPeakRssKb;
    }

    private static double number(Map<String, String> kv, String key, String line) throws IOException {
        String v = kv.get(key);
        if (v == null) {
            throw new IOException("the PyTorch peer's reply lacks '" + key + "': " + line);
        }
        return Double.parseDouble(v);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(stderr);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static String str(int v) {
        return Integer.toString(v);
    }

    @Override
    public void close() throws IOException {
        try {
            out.write("exit\n");
            out.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Files.deleteIfExists(stderr);
        }
    }
}
