package io.github.dl4jgrpoma.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.train.GrpoMaTrainerBuilder;
import io.github.dl4jgrpoma.train.RowPacking;

/**
 * The whole GRPO-MA step, Java against the project's PyTorch implementation of the same step
 * ({@code scripts/bench_step_torch.py}), T16A1 and T4A4 at every width of {@code --widths}.
 *
 * <p>Per configuration: a {@link JavaStep} and, when {@code python3} can import torch, a {@link TorchPeer} with
 * the same shapes; {@code --warmup} steps of each, then {@code --reps} rounds of one Java step followed by one
 * PyTorch step (interleaved, so both see the same machine load). Each Java step is timed as a training loop sees it:
 * the second of two back-to-back steps, beside the first one's step-end collection ({@link JavaStep#step()}). Prints the medians of every part (rollout,
 * reward, pack, reference forward, forward + backward, optimiser) and of the whole step, Java/PyTorch ratios,
 * sampled tokens/s of the rollout and packed tokens/s of the forward + backward, the T4A4 / T16A1 whole-step
 * ratio, and the peak RSS of both processes. Without torch it prints the Java side and how to install torch.
 *
 * <p>{@code --soak N} instead runs N Java steps of the first width, T4A4, and prints the RSS every 100 steps and
 * its least-squares slope per 100 steps (after the first 10 % of the steps). {@code --quick} shrinks everything
 * to a tiny model for a smoke test.
 *
 * <p>{@code --row-packing} picks the update's row layout (default auto: one tree row per thought with its M answers
 * for T4A4, one row per answer for T16A1); the PyTorch peer packs the rows the same way (its {@code --row-packing}).
 *
 * <p>Usage: {@code bin/grpoma bench-step [--widths 128,256] [--reps 5] [--torch auto|on|off] [--soak 1000]
 * [--row-packing auto|per-answer|tree]}.
 */
public final class StepBenchmarkCommand implements Command {
    private static final String DEBIAN_PYTHON = "/usr/bin/python3";
    private static final int[][] SHAPES = {{16, 1}, {4, 4}};
    private static final Map<String, Integer> DEFAULTS = defaults();

    private static Map<String, Integer> defaults() {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put("layers", 4);
        d.put("heads", 4);
        d.put("vocab", 64);
        d.put("prompts", 8);
        d.put("prompt-length", 16);
        d.put("thought", 48);
        d.put("answer", 8);
        d.put("warmup", 2);
        d.put("reps", 5);
        d.put("seed", 1);
        d.put("torch-threads", Runtime.getRuntime().availableProcessors());
        d.put("soak", 0);
        d.put("update-threads", Math.min(2, Runtime.getRuntime().availableProcessors()));
        d.put("rollout-threads", 0);
        d.put("chunk-tokens", GrpoMaTrainerBuilder.DEFAULT_UPDATE_CHUNK_TOKENS);
        d.put("collection-interval", 0);
        return d;
    }

    @Override
    public String name() {
        return "bench-step";
    }

    @Override
    public String summary() {
        return "whole GRPO-MA step (rollout, reward, pack, reference, fwd+bwd, Adam), Java vs PyTorch, T16A1 vs T4A4";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options options = new Options();
        options.addOption(Option.builder().longOpt("widths").hasArg().argName("D,D")
                .desc("model widths (default 128,256)").build());
        DEFAULTS.forEach((k, v) -> options.addOption(Option.builder().longOpt(k).hasArg().argName("N")
                .desc((k.equals("rollout-threads") ? "rollout-threads: the prompts in N shards sampled on N threads"
                        + " (RolloutExecutorFactory.threadPool), 1 = in-process, 0 = the trainer's default ("
                        + StepSettings.AUTO_DESCRIPTION + " with the model's backprop, in-process with the graph's)"
                        : k.equals("soak") ? "soak: instead of the comparison, N Java steps back to back of the first"
                        + " width, T4A4; prints RSS (and committed Java heap, JVM non-heap, RSS minus both) every 100 steps and its"
                        + " slope; 0 = no soak"
                        : k.equals("collection-interval") ? "collection-interval: the trainer's step-end collection every"
                        + " N steps (GrpoMaTrainerBuilder.collectionInterval); 0 = the trainer's default, "
                        + GrpoMaTrainerBuilder.DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL + " with the model's backprop"
                        + " and 1 with the graph's" : k)
                        + " (default " + (k.equals("torch-threads") ? "number of cores" : v) + ")").build()));
        options.addOption(Option.builder().longOpt("compare-threads")
                .desc("also run the Java step with 1 update thread, interleaved, and print default / 1-thread ratios").build());
        options.addOption(Option.builder().longOpt("beta").hasArg().argName("X").desc("KL weight (default 0.04)").build());
        options.addOption(Option.builder().longOpt("torch").hasArg().argName("MODE")
                .desc("auto (default): compare when python3 imports torch; on: require it; off: Java only").build());
        options.addOption(Option.builder().longOpt("python").hasArg().argName("EXE").desc("python with torch (default python3, else " + DEBIAN_PYTHON + ")").build());
        options.addOption(Option.builder().longOpt("row-packing").hasArg().argName("MODE")
                .desc("update rows: auto (default: tree for M > 1), per-answer (one row per answer) or tree (one row per"
                        + " thought with its answers)").build());
        options.addOption(Option.builder().longOpt("backprop").hasArg().argName("MODE")
                .desc("update gradients: model (default: the transformer's own forward and backward pass) or graph"
                        + " (SameDiff differentiates the graph)").build());
        options.addOption(Option.builder().longOpt("compare-backprop")
                .desc("also run the Java step with the other --backprop, interleaved, and print the ratios").build());
        options.addOption(Option.builder().longOpt("compare-rollout-threads")
                .desc("also run the Java step with 1 rollout thread (2 when the rollout is in-process already: --rollout-threads 1,"
                        + " or 0 with --backprop graph), interleaved, and"
                        + " print the ratios").build());
        options.addOption(Option.builder().longOpt("quick").desc("tiny model, 1 rep, no warm-up (smoke test: its times and ratios mean nothing)").build());
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        boolean quick = cl.hasOption("quick");
        Map<String, Integer> o = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : DEFAULTS.entrySet()) {
            int min = List.of("seed", "warmup", "soak", "collection-interval", "rollout-threads").contains(e.getKey()) ? 0 : 1;
            o.put(e.getKey(), CliSupport.intOpt(cl, e.getKey(), quick ? quickDefault(e.getKey(), e.getValue()) : e.getValue(),
                    min, 1 << 20));
        }
        int[] widths = CliSupport.intListOpt(cl, "widths", quick ? new int[] {16} : new int[] {128, 256}, 1, 1 << 14);
        double beta = CliSupport.doubleOpt(cl, "beta", 0.04, 0.0, 100.0);
        String torch = cl.getOptionValue("torch", "auto");
        if (!List.of("auto", "on", "off").contains(torch)) {
            throw new UsageException("--torch must be auto, on or off, got '" + torch + "'");
        }
        for (int w : widths) {
            if (w % o.get("heads") != 0) {
                throw new UsageException("--widths " + w + " is not divisible by --heads " + o.get("heads"));
            }
        }
        if (o.get("vocab") < 15 || o.get("vocab") > 5 + JavaStep.ALPHABET.length()) {
            throw new UsageException("--vocab must be in [15, " + (5 + JavaStep.ALPHABET.length()) + "], got " + o.get("vocab"));
        }
        RowPacking rowPacking = switch (cl.getOptionValue("row-packing", "auto")) {
            case "auto" -> RowPacking.AUTO;
            case "per-answer" -> RowPacking.PER_ANSWER;
            case "tree" -> RowPacking.TREE;
            default -> throw new UsageException("--row-packing must be auto, per-answer or tree, got '"
                    + cl.getOptionValue("row-packing") + "'");
        };
        String backprop = cl.getOptionValue("backprop", "model");
        if (!List.of("model", "graph").contains(backprop)) {
            throw new UsageException("--backprop must be model or graph, got '" + backprop + "'");
        }
        if (Stream.of("compare-backprop", "compare-threads", "compare-rollout-threads").filter(cl::hasOption).count() > 1) {
            throw new UsageException("--compare-backprop, --compare-threads and --compare-rollout-threads each add a second"
                    + " Java step; give one of them");
        }
        if (cl.hasOption("compare-threads") && o.get("update-threads") == 1) {
            throw new UsageException("--compare-threads compares the default update threads with 1; it needs --update-threads"
                    + " of 2 or more, got 1");
        }
        boolean modelBackprop = backprop.equals("model");
        String python = cl.getOptionValue("python", "python3");
        out.printf("bench-step: V=%d L=%d H=%d; %d prompts x %d tokens, thoughts %d, answers %d tokens (fixed lengths);"
                        + " beta %.2f, 1 inner epoch; warm-up %d, median of %d%n", o.get("vocab"), o.get("layers"),
                o.get("heads"), o.get("prompts"), o.get("prompt-length"), o.get("thought"), o.get("answer"), beta,
                o.get("warmup"), o.get("reps"));
        out.printf("Java: backprop %s, row packing %s, update threads %d, rollout %s, chunks of %d tokens, collection"
                        + " every %d steps; OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s"
                        + " MALLOC_ARENA_MAX=%s MALLOC_MMAP_THRESHOLD_=%s (the PyTorch peer inherits them), ND4J threads %d,"
                        + " %d cores; load average %s%n", backprop, rowPacking, o.get("update-threads"),
                StepSettings.rollout(o.get("rollout-threads"), modelBackprop), o.get("chunk-tokens"),
                o.get("collection-interval") > 0 ? o.get("collection-interval") : backprop.equals("model")
                        ? GrpoMaTrainerBuilder.DEFAULT_MODEL_BACKPROP_COLLECTION_INTERVAL : 1, System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"), System.getenv("MALLOC_ARENA_MAX"),
                System.getenv("MALLOC_MMAP_THRESHOLD_"),
                Nd4j.getEnvironment().maxMasterThreads(), Runtime.getRuntime().availableProcessors(), SystemLoad.loadAverage());
        out.println("JVM options: " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X")).toList()) + " (heap, GC and JIT flags; bin/grpoma's defaults unless JAVA_OPTS)");
        if (o.get("soak") > 0) {
            SoakRun.run(settings(o, widths[0], SHAPES[1], beta, rowPacking, modelBackprop), o.get("soak"), out);
            return 0;
        }
        if (!torch.equals("off") && !cl.hasOption("python") && !TorchPeer.available(python)
                && TorchPeer.available(DEBIAN_PYTHON)) {
            python = DEBIAN_PYTHON;     // Debian's python3-torch when python3 on PATH is another one (pyenv, venv)
        }
        boolean useTorch = !torch.equals("off") && TorchPeer.available(python);
        if (torch.equals("on") && !useTorch) {
            throw new UsageException("--torch on: '" + python + "' cannot import torch; " + TorchPeer.INSTALL_HINT);
        }
        if (!useTorch) {
            out.println(torch.equals("off") ? "PyTorch comparison off (--torch off)"
                    : "PyTorch comparison skipped: '" + python + "' cannot import torch; for Java/PyTorch ratios: "
                    + TorchPeer.INSTALL_HINT);
        }
        StepReport report = new StepReport(out, useTorch);
        Path script = TorchPeer.findScript();
        for (int w : widths) {
            for (int[] shape : SHAPES) {
                StepSettings s = settings(o, w, shape, beta, rowPacking, modelBackprop);
                StepSettings other = cl.hasOption("compare-threads") ? s.withUpdateThreads(1)
                        : cl.hasOption("compare-backprop") ? s.withModelBackprop(!modelBackprop)
                        : cl.hasOption("compare-rollout-threads") ? s.withRolloutThreads(s.rolloutInProcess() ? 2 : 1)
                        : null;
                report.add(s, measure(s, other, o.get("warmup"), o.get("reps"), useTorch ? python : null, script,
                        o.get("torch-threads"), report));
            }
        }
        report.summary();
        out.printf("load average at the end: %s%n", SystemLoad.loadAverage());
        return 0;
    }

    private static int quickDefault(String key, int full) {
        return switch (key) {
            case "layers", "heads" -> 2;
            case "prompts" -> 2;
            case "prompt-length" -> 4;
            case "thought" -> 6;
            case "answer" -> 2;
            case "warmup" -> 0;
            case "reps" -> 1;
            default -> full;
        };
    }

    private static StepSettings settings(Map<String, Integer> o, int width, int[] shape, double beta, RowPacking rows,
                                         boolean modelBackprop) {
        return new StepSettings(o.get("vocab"), width, o.get("layers"), o.get("heads"), o.get("prompts"),
                o.get("prompt-length"), o.get("thought"), o.get("answer"), shape[0], shape[1], beta, o.get("seed"),
                o.get("update-threads"), o.get("chunk-tokens"), rows, modelBackprop, o.get("rollout-threads"),
                o.get("collection-interval"));
    }

    /**
     * Warm-up, then {@code reps} interleaved rounds of one Java step, one Java step of the {@code other} settings (1
     * update thread or the other backprop; none when null) and one PyTorch step.
     */
    private static StepReport.Entry measure(StepSettings s, StepSettings other, int warmup, int reps, String python,
                                            Path script, int threads, StepReport report) throws IOException {
        JavaStep java = new JavaStep(s);
        JavaStep single = other != null ? new JavaStep(other) : null;
        List<StepTimes> j = new ArrayList<>();
        List<StepTimes> j1 = new ArrayList<>();
        List<StepTimes> t = new ArrayList<>();
        TorchPeer peer = python == null ? null : TorchPeer.start(python, script, s, threads, java.rowPacking());
        try {
            if (peer != null) {
                report.torchBanner(peer.banner());
            }
            for (int i = 0; i < warmup; i++) {
                java.step();
                if (single != null) {
                    single.step();
                }
                if (peer != null) {
                    peer.step();
                }
            }
            for (int i = 0; i < reps; i++) {
                j.add(java.step());
                if (single != null) {
                    j1.add(single.step());
                }
                if (peer != null) {
                    t.add(peer.step());
                }
            }
            return new StepReport.Entry(s, StepTimes.median(j), other, single == null ? null : StepTimes.median(j1),
                    peer == null ? null : StepTimes.median(t),
                    peer == null ? 0 : peer.lastPeakRssKb(), ProcessMemory.currentRss() + String.format(Locale.ROOT,
                            " (peak so far %s, Java heap committed %.0f MB)", ProcessMemory.peakRss(),
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1048576.0));
        } finally {
            if (peer != null) {
                peer.close();
            }
            java.close();
            if (single != null) {
                single.close();
            }
            System.gc();                       // the next configuration starts without this one's arrays
            io.github.dl4jgrpoma.graph.NativeHeap.trim();   // and its freed memory back to the system
        }
    }
}
