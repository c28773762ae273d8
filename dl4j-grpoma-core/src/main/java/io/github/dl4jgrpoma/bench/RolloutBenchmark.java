package io.github.dl4jgrpoma.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.TransformerConfig;
import io.github.dl4jgrpoma.policy.TransformerPolicy;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.rollout.KvCacheDecoder;
import io.github.dl4jgrpoma.rollout.RecomputeDecoder;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.rollout.RolloutEngine;

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
 * <p>Usage: {@code RolloutBenchmark [width=64] [layers=2] [heads=4] [vocab=20] [maxLength=64] [prompts=4]
 * [promptLength=10] [thought=30] [answer=5] [warmup=3] [reps=5] [seed=1]}
 */
public final class RolloutBenchmark {

    private RolloutBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, Integer> opt = new LinkedHashMap<>();
        for (String k : List.of("width", "layers", "heads", "vocab", "maxLength", "prompts", "promptLength", "thought",
                "answer", "warmup", "reps", "seed")) {
            opt.put(k, switch (k) {
                case "width" -> 64;
                case "layers" -> 2;
                case "heads" -> 4;
                case "vocab" -> 20;
                case "maxLength" -> 64;
                case "prompts" -> 4;
                case "promptLength" -> 10;
                case "thought" -> 30;
                case "answer" -> 5;
                case "warmup" -> 3;
                case "reps" -> 5;
                default -> 1;
            });
        }
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !opt.containsKey(kv[0])) {
                System.err.println("unknown argument '" + a + "'; use key=value with keys " + opt.keySet());
                System.exit(2);
            }
            try {
                opt.put(kv[0], Integer.parseInt(kv[1]));
            } catch (NumberFormatException e) {
                System.err.println("argument '" + a + "' needs an integer value");
                System.exit(2);
            }
        }
        run(opt);
    }

    private static void run(Map<String, Integer> o) throws IOException {
        TransformerConfig cfg = TransformerConfig.builder().vocabSize(o.get("vocab")).width(o.get("width"))
                .layers(o.get("layers")).heads(o.get("heads")).maxLength(o.get("maxLength")).seed(o.get("seed")).build();
        TransformerPolicy policy = TransformerPolicy.create(cfg);
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.END_OF_THOUGHT, -20.0);
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.EOS, -20.0);
        Random r = new Random(o.get("seed"));
        List<int[]> prompts = new ArrayList<>();
        for (int p = 0; p < o.get("prompts"); p++) {
            int[] t = new int[o.get("promptLength")];
            t[0] = CharTokenizer.BOS;
            for (int i = 1; i < t.length - 1; i++) {
                t[i] = CharTokenizer.NUM_SPECIAL + r.nextInt(cfg.vocabSize() - CharTokenizer.NUM_SPECIAL);
            }
            t[t.length - 1] = CharTokenizer.BEGIN_THOUGHT;
            prompts.add(t);
        }
        System.out.printf("model: V=%d D=%d L=%d H=%d T=%d (%s); %d prompts x %d tokens, thoughts %d tokens, answers %d tokens, "
                        + "reps %d, OMP_NUM_THREADS=%s%n", cfg.vocabSize(), cfg.width(), cfg.layers(), cfg.heads(), cfg.maxLength(),
                cfg.dataType(), prompts.size(), o.get("promptLength"), o.get("thought"), o.get("answer"), o.get("reps"),
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
                System.out.printf("T%dA%d %-34s %6d tokens  %8.3f s  %8.0f tokens/s   RSS %s%n", km[s][0], km[s][1], modes[m],
                        tokens[s][m], seconds[s][m], tokens[s][m] / seconds[s][m], status("VmRSS"));
            }
        }
        System.out.println();
        for (int s = 0; s < 2; s++) {
            System.out.printf("T%dA%d speed-up over (a): (b) %.1fx  (c) %.1fx%n", km[s][0], km[s][1],
                    seconds[s][0] / seconds[s][1], seconds[s][0] / seconds[s][2]);
        }
        System.out.printf("wall time T4A4 / T16A1: (a) %.2f  (b) %.2f  (c) %.2f%n", seconds[1][0] / seconds[0][0],
                seconds[1][1] / seconds[0][1], seconds[1][2] / seconds[0][2]);
        System.out.println("peak RSS (VmHWM): " + status("VmHWM"));
    }

    private static String status(String key) throws IOException {
        Path p = Path.of("/proc/self/status");
        if (!Files.isReadable(p)) {
            return "n/a";
        }
        for (String line : Files.readAllLines(p)) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return "n/a";
    }
}
