package io.github.dl4jgrpoma.examples.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ProcessMemory;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.transformer.KvCacheDecoder;
import io.github.dl4jgrpoma.rollout.RecomputeDecoder;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.multimodal.VisionLanguagePolicies;
import io.github.dl4jgrpoma.multimodal.vision.CnnEncoder;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Rollout throughput of T16A1 (plain GRPO, 16 thoughts with one answer each) against T4A4 (GRPO-MA, 4 thoughts
 * with 4 answers each) for three ways of decoding:
 * <ul>
 *   <li>(a) full recompute: {@link RecomputeDecoder}, the whole padded sequence through SameDiff every step;</li>
 *   <li>(b) KV cache without prefix sharing: every thought row prefills its prompt and every answer row prefills
 *       prompt + thought from scratch (as a generic {@code generate} per sequence does);</li>
 *   <li>(c) KV cache with prefix sharing: prompt once, thought once, M answers forked from it.</li>
 * </ul>
 * The model is a randomly initialised {@link TransformerPolicy}; the head biases of the end-of-thought and EOS
 * tokens are set to -20 so that every thought and answer runs to its cap, which makes the token counts of all
 * modes identical (thoughts {@code thought} tokens, answers {@code answer} tokens). Prints tokens/s (sampled
 * tokens over wall time, median of {@code reps} runs after {@code warmup} runs), ratios to (a), the T4A4 / T16A1 wall-time
 * ratio and the peak resident set size (VmHWM). {@code System.gc()} runs between rollouts, as a training loop
 * would once per step.
 *
 * With {@code --image 1} (default) it then runs T4A4 with an image prefix (CNN encoder, 28x56 images) with and
 * without prefix sharing, printing tokens/s, the ratio to text-only and the encoder's images per rollout.
 *
 * <p>Usage: {@code bin/grpoma bench-rollout [--width 64] [--layers 2] ...}; {@code --help} lists the options.
 */
public final class RolloutBenchmarkCommand implements Command {
    private static final Map<String, Integer> DEFAULTS = defaults();
    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("width", "model width D of the random transformer"),
            Map.entry("layers", "transformer layers L"),
            Map.entry("heads", "attention heads H (must divide --width)"),
            Map.entry("vocab", "vocabulary size V, special tokens included (> " + CharTokenizer.NUM_SPECIAL + ")"),
            Map.entry("max-length", "model context T; needs prompt-length + thought + 1 + answer <= T"),
            Map.entry("prompts", "prompts per rollout batch"),
            Map.entry("prompt-length", "tokens per prompt (BOS, random tokens, begin-thought; >= 2)"),
            Map.entry("thought", "tokens per thought (every thought runs to this cap)"),
            Map.entry("answer", "tokens per answer (every answer runs to this cap)"),
            Map.entry("warmup", "untimed rollouts per mode before timing (JIT and workspace warm-up)"),
            Map.entry("reps", "timed rollouts per mode; the median is reported"),
            Map.entry("seed", "seed of the model's weights, the prompts and the sampling"));

    private static Map<String, Integer> defaults() {
        Map<String, Integer> d = new LinkedHashMap<>();
        d.put("width", 64);
        d.put("layers", 2);
        d.put("heads", 4);
        d.put("vocab", 20);
        d.put("max-length", 64);
        d.put("prompts", 4);
        d.put("prompt-length", 10);
        d.put("thought", 30);
        d.put("answer", 5);
        d.put("warmup", 3);
        d.put("reps", 5);
        d.put("seed", 1);
        d.put("image", 1);
        return d;
    }

    @Override
    public String name() {
        return "bench-rollout";
    }

    @Override
    public String summary() {
        return "rollout tokens/s of T16A1 vs T4A4: full recompute, KV cache, KV cache + prefix sharing";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options options = new Options();
        DEFAULTS.forEach((k, v) -> options.addOption(Option.builder().longOpt(k).hasArg().argName("N")
                .desc(DESCRIPTIONS.get(k) + " (default " + v + ")").build()));
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        Map<String, Integer> o = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : DEFAULTS.entrySet()) {
            o.put(e.getKey(), CliSupport.intOpt(cl, e.getKey(), e.getValue(), e.getKey().equals("seed") || e.getKey().equals("warmup") || e.getKey().equals("image") ? 0 : 1, 1 << 20));
        }
        validate(o);
        run(o, out);
        return 0;
    }

    /** Checks the sizes against each other before any work. */
    static void validate(Map<String, Integer> o) throws UsageException {
        int need = o.get("prompt-length") + o.get("thought") + 1 + o.get("answer");
        if (need > o.get("max-length")) {
            throw new UsageException("--thought " + o.get("thought") + " and --answer " + o.get("answer") + " with"
                    + " --prompt-length " + o.get("prompt-length") + " need sequences of " + need + " tokens, more than"
                    + " --max-length " + o.get("max-length") + "; fix: raise --max-length to " + need
                    + " or shorten them");
        }
        if (o.get("prompt-length") < 2) {
            throw new UsageException("--prompt-length " + o.get("prompt-length") + " is too short; fix: use >= 2 (BOS and"
                    + " begin-thought)");
        }
        if (o.get("vocab") <= CharTokenizer.NUM_SPECIAL) {
            throw new UsageException("--vocab " + o.get("vocab") + " leaves no ordinary token; fix: use > "
                    + CharTokenizer.NUM_SPECIAL);
        }
        if (o.get("width") % o.get("heads") != 0) {
            throw new UsageException("--width " + o.get("width") + " is not divisible by --heads " + o.get("heads")
                    + "; fix: choose heads dividing the width");
        }
    }

    private static void run(Map<String, Integer> o, PrintStream out) throws IOException {
        TransformerConfig cfg = TransformerConfig.builder().vocabSize(o.get("vocab")).width(o.get("width"))
                .layers(o.get("layers")).heads(o.get("heads")).maxLength(o.get("max-length")).seed(o.get("seed")).build();
        TransformerPolicy policy = TransformerPolicy.create(cfg);
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.END_OF_THOUGHT, -20.0);
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.EOS, -20.0);
        Random r = new Random(o.get("seed"));
        List<Prompt> prompts = new ArrayList<>();
        for (int p = 0; p < o.get("prompts"); p++) {
            int[] t = new int[o.get("prompt-length")];
            t[0] = CharTokenizer.BOS;
            for (int i = 1; i < t.length - 1; i++) {
                t[i] = CharTokenizer.NUM_SPECIAL + r.nextInt(cfg.vocabSize() - CharTokenizer.NUM_SPECIAL);
            }
            t[t.length - 1] = CharTokenizer.BEGIN_THOUGHT;
            prompts.add(Prompt.ofTokens(t));
        }
        out.printf("model: V=%d D=%d L=%d H=%d T=%d (%s); %d prompts x %d tokens, thoughts %d tokens, answers %d tokens, "
                        + "reps %d, OMP_NUM_THREADS=%s%n", cfg.vocabSize(), cfg.width(), cfg.layers(), cfg.heads(), cfg.maxLength(),
                cfg.dataType(), prompts.size(), o.get("prompt-length"), o.get("thought"), o.get("answer"), o.get("reps"),
                System.getenv("OMP_NUM_THREADS"));
        int[][] km = {{16, 1}, {4, 4}};
        String[] modes = {"(a) full recompute", "(b) KV cache, no prefix sharing", "(c) KV cache, prefix sharing"};
        double[][] seconds = new double[2][3];
        long[][] tokens = new long[2][3];
        for (int s = 0; s < 2; s++) {
            for (int m = 0; m < 3; m++) {
                RolloutConfig rc = RolloutConfig.builder().thoughts(km[s][0]).answersPerThought(km[s][1])
                        .maxThoughtTokens(o.get("thought")).maxAnswerTokens(o.get("answer"))
                        .endOfThoughtToken(CharTokenizer.END_OF_THOUGHT).answerStopTokens(Set.of(CharTokenizer.EOS))
                        .prefixSharing(m == 2).build();
                IncrementalDecoder dec = m == 0 ? new RecomputeDecoder(policy) : new KvCacheDecoder(policy);
                RolloutEngine engine = new RolloutEngine(dec, rc);
                for (int w = 0; w < o.get("warmup"); w++) {     // JIT and workspace warm-up
                    engine.rollout(prompts, -1 - w);
                    System.gc();
                }
                double[] t = new double[o.get("reps")];
                for (int rep = 0; rep < t.length; rep++) {
                    long start = System.nanoTime();
                    RolloutBatch b = engine.rollout(prompts, rep + 1);
                    t[rep] = (System.nanoTime() - start) / 1e9;
                    tokens[s][m] = b.sampledTokens();
                    System.gc();
                }
                Arrays.sort(t);
                seconds[s][m] = t[t.length / 2];
                out.printf("T%dA%d %-34s %6d tokens  %8.3f s  %8.0f tokens/s   RSS %s%n", km[s][0], km[s][1], modes[m],
                        tokens[s][m], seconds[s][m], tokens[s][m] / seconds[s][m], ProcessMemory.currentRss());
            }
        }
        out.println();
        for (int s = 0; s < 2; s++) {
            out.printf("T%dA%d speed-up over (a): (b) %.1fx  (c) %.1fx%n", km[s][0], km[s][1],
                    seconds[s][0] / seconds[s][1], seconds[s][0] / seconds[s][2]);
        }
        out.printf("wall time T4A4 / T16A1: (a) %.2f  (b) %.2f  (c) %.2f%n", seconds[1][0] / seconds[0][0],
                seconds[1][1] / seconds[0][1], seconds[1][2] / seconds[0][2]);
        if (o.get("image") == 1) {
            out.println();
            image(o, cfg, prompts, seconds[1][2] == 0 ? Double.NaN : tokens[1][2] / seconds[1][2], out);
        }
        out.println("peak RSS (VmHWM): " + ProcessMemory.peakRss());
    }

    /**
     * T4A4 rollouts of the same transformer with an image prefix (a CNN encoder on 28x56 images, 21 image tokens):
     * tokens/s with and without prefix sharing next to the text-only figure, and how many images the encoder
     * encoded per rollout (prefix sharing: once per prompt; without: once per thought row and once per answer row).
     */
    private static void image(Map<String, Integer> o, TransformerConfig cfg, List<Prompt> textPrompts, double textTokensPerSecond,
                              PrintStream out) {
        ImageShape shape = new ImageShape(1, 28, 56);
        TransformerPolicy policy = VisionLanguagePolicies.create(cfg, new CnnEncoder(shape, 8, 16, 32), o.get("seed"));
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.END_OF_THOUGHT, -20.0);
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.EOS, -20.0);
        Random r = new Random(o.get("seed"));
        List<Prompt> prompts = new ArrayList<>();
        for (int p = 0; p < textPrompts.size(); p++) {
            float[] px = new float[shape.size()];
            for (int i = 0; i < px.length; i++) {
                px[i] = r.nextFloat();
            }
            prompts.add(new Prompt("image-" + p, "", textPrompts.get(p).tokens(),
                    VisionLanguagePolicies.image(px, shape, DataType.FLOAT), Map.of()));
        }
        for (boolean sharing : new boolean[] {false, true}) {
            RolloutConfig rc = RolloutConfig.builder().thoughts(4).answersPerThought(4).maxThoughtTokens(o.get("thought"))
                    .maxAnswerTokens(o.get("answer")).endOfThoughtToken(CharTokenizer.END_OF_THOUGHT)
                    .answerStopTokens(Set.of(CharTokenizer.EOS)).prefixSharing(sharing).build();
            RolloutEngine engine = new RolloutEngine(policy.decoder(), rc);
            for (int w = 0; w < o.get("warmup"); w++) {
                engine.rollout(prompts, -1 - w);
                System.gc();
            }
            double[] t = new double[o.get("reps")];
            long sampled = 0;
            long encodedBefore = policy.prefixRowsComputed();
            for (int rep = 0; rep < t.length; rep++) {
                long start = System.nanoTime();
                sampled = engine.rollout(prompts, rep + 1).sampledTokens();
                t[rep] = (System.nanoTime() - start) / 1e9;
                System.gc();
            }
            Arrays.sort(t);
            double median = t[t.length / 2];
            out.printf("T4A4 image prefix (%d image tokens), KV cache, %-18s %6d tokens  %8.3f s  %8.0f tokens/s   "
                            + "encoder: %.0f images per rollout of %d prompts%n", policy.prefixLength(),
                    sharing ? "prefix sharing" : "no prefix sharing", sampled, median, sampled / median,
                    (policy.prefixRowsComputed() - encodedBefore) / (double) t.length, prompts.size());
            if (sharing) {
                out.printf("image-prefixed / text-only tokens/s (KV cache, prefix sharing, T4A4): %.2f%n",
                        sampled / median / textTokensPerSecond);
            }
        }
    }
}
