package io.github.dl4jgrpoma.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples GRPO-MA rollout trees: for every prompt K thoughts, and for every thought M answers.
 *
 * <p>With {@link RolloutConfig#prefixSharing()} (the default) the work is shared as the method needs
 * (GRPO-MA.md section 6):
 * <ol>
 *   <li>all prompts are prefilled once, in one batch;</li>
 *   <li>the prompt state is forked K times and the P·K thoughts are decoded together, one token per step, until
 *       every thought has sampled the end-of-thought token or reached {@code maxThoughtTokens} (a truncated thought
 *       then gets the end-of-thought token appended, unsampled);</li>
 *   <li>each thought's state (prompt + thought already consumed) is forked M times and the P·K·M answers are
 *       decoded together until a stop token or {@code maxAnswerTokens}; rows that finished are dropped from the
 *       batch once they are at least half of it.</li>
 * </ol>
 * Without prefix sharing every thought row prefills its prompt and every answer row prefills prompt + thought from
 * scratch (the cost of a generic {@code generate} per sequence).
 *
 * <p>Randomness: thought k of prompt p draws from a {@link SplittableRandom} seeded by a hash of
 * {@code (seed, p, k)} and answer m of it from one seeded by {@code (seed, p, k, m)}, so a rollout is a function
 * of the seed (and the weights), whatever the batch composition. The recorded log-probabilities are those of
 * {@link TokenSampler}: temperature applied, top-k / top-p not. The engine holds no state between calls; off-heap
 * arrays are released by the Java GC, so a training loop should call {@code System.gc()} once per step.
 */
public final class RolloutEngine {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutEngine.class);

    private final IncrementalDecoder decoder;
    private final RolloutConfig config;
    private final TokenSampler sampler;

    public RolloutEngine(IncrementalDecoder decoder, RolloutConfig config) {
        if (config.endOfThoughtToken() >= decoder.vocabSize()) {
            throw new IllegalArgumentException("RolloutConfig.endOfThoughtToken = " + config.endOfThoughtToken()
                    + " is outside the vocabulary [0, " + decoder.vocabSize() + ")");
        }
        for (int s : config.answerStopTokens()) {
            if (s < 0 || s >= decoder.vocabSize()) {
                throw new IllegalArgumentException("RolloutConfig.answerStopTokens holds " + s + ", outside the vocabulary [0, "
                        + decoder.vocabSize() + ")");
            }
        }
        this.decoder = decoder;
        this.config = config;
        this.sampler = config.sampler();
    }

    /** The settings of this engine. */
    public RolloutConfig config() {
        return config;
    }

    /**
     * Samples K thoughts and K·M answers for every prompt.
     *
     * @param prompts token ids of each prompt (non-empty, e.g. BOS + text + begin-of-thought)
     * @param seed    seed of all sampling in this call
     * @throws IllegalArgumentException if a prompt is empty or prompt + caps exceed the decoder's maximum length
     */
    public RolloutBatch rollout(List<int[]> prompts, long seed) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("rollout needs at least one prompt");
        }
        for (int p = 0; p < prompts.size(); p++) {
            int need = config.maxSequenceLength(prompts.get(p).length);
            if (need > decoder.maxLength()) {
                throw new IllegalArgumentException("prompt " + p + " has " + prompts.get(p).length + " tokens; with maxThoughtTokens="
                        + config.maxThoughtTokens() + ", a forced end-of-thought and maxAnswerTokens=" + config.maxAnswerTokens()
                        + " a sequence may reach " + need + " tokens, more than the model's maximum length "
                        + decoder.maxLength() + "; shorten the prompt or lower the caps");
            }
        }
        long start = System.nanoTime();
        int np = prompts.size();
        int k = config.thoughts();
        int m = config.answersPerThought();
        int nt = np * k;

        DecodingState thoughtState;
        if (config.prefixSharing()) {
            thoughtState = decoder.prefill(prompts.toArray(new int[0][])).fork(repeatEach(np, k));
        } else {
            int[][] rows = new int[nt][];
            for (int r = 0; r < nt; r++) {
                rows[r] = prompts.get(r / k);
            }
            thoughtState = decoder.prefill(rows);
        }
        SplittableRandom[] thoughtRng = new SplittableRandom[nt];
        for (int r = 0; r < nt; r++) {
            thoughtRng[r] = new SplittableRandom(mix(seed, r / k, r % k, -1));
        }
        Generation thoughts = generate(thoughtState, thoughtRng, config.maxThoughtTokens(),
                Set.of(config.endOfThoughtToken()), true);
        int[][] context = new int[nt][];
        boolean[] forced = new boolean[nt];
        int[] eot = new int[nt];
        boolean anyForced = false;
        for (int r = 0; r < nt; r++) {
            forced[r] = thoughts.truncated[r];
            anyForced |= forced[r];
            eot[r] = config.endOfThoughtToken();
            int[] t = thoughts.tokens.get(r);
            context[r] = forced[r] ? append(t, config.endOfThoughtToken()) : t;
        }
        if (anyForced && config.prefixSharing()) {
            thoughts.state.append(eot, forced);
        }

        int na = nt * m;
        DecodingState answerState;
        if (config.prefixSharing()) {
            answerState = thoughts.state.fork(repeatEach(nt, m));
        } else {
            int[][] rows = new int[na][];
            for (int a = 0; a < na; a++) {
                int r = a / m;
                rows[a] = concat(prompts.get(r / k), context[r]);
            }
            answerState = decoder.prefill(rows);
        }
        SplittableRandom[] answerRng = new SplittableRandom[na];
        for (int a = 0; a < na; a++) {
            int r = a / m;
            answerRng[a] = new SplittableRandom(mix(seed, r / k, r % k, a % m));
        }
        Generation answers = generate(answerState, answerRng, config.maxAnswerTokens(), config.answerStopTokens(), false);

        List<PromptRollout> out = new ArrayList<>(np);
        for (int p = 0; p < np; p++) {
            List<ThoughtRollout> ts = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                int r = p * k + i;
                List<AnswerRollout> as = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    int a = r * m + j;
                    as.add(new AnswerRollout(answers.tokens.get(a), answers.logProbs.get(a), answers.truncated[a]));
                }
                ts.add(new ThoughtRollout(thoughts.tokens.get(r), thoughts.logProbs.get(r), thoughts.truncated[r], context[r], as));
            }
            out.add(new PromptRollout(prompts.get(p), ts));
        }
        RolloutBatch batch = new RolloutBatch(out);
        if (LOG.isDebugEnabled()) {
            LOG.debug("rollout: {} prompts, T{}A{}, {} sampled tokens in {} ms (prefix sharing {})", np, k, m,
                    batch.sampledTokens(), (System.nanoTime() - start) / 1_000_000, config.prefixSharing());
        }
        return batch;
    }

    /** Sampled tokens of every row and the state after them. */
    private static final class Generation {
        final List<int[]> tokens = new ArrayList<>();
        final List<double[]> logProbs = new ArrayList<>();
        boolean[] truncated;
        DecodingState state;
    }

    /**
     * Samples up to {@code cap} tokens per row until a stop token. With {@code keepState} every sampled token
     * (stop token included) is consumed, so the final state holds each whole row; otherwise tokens after which
     * nothing is sampled are not consumed and finished rows may be compacted away.
     */
    private Generation generate(DecodingState state, SplittableRandom[] rng, int cap, Set<Integer> stops, boolean keepState) {
        int n = rng.length;
        int[][] tok = new int[n][cap];
        double[][] lp = new double[n][cap];
        int[] len = new int[n];
        boolean[] active = new boolean[n];
        Arrays.fill(active, true);
        int[] rowOf = identity(n);          // state row -> generation row
        int alive = n;
        for (int step = 0; step < cap && alive > 0; step++) {
            int rows = state.rows();
            // one bulk copy (INDArray.toDoubleMatrix reads element by element: ~1.4 ms for [64, 20])
            double[] flat = state.nextLogits().dup('c').data().asDouble();
            int vocab = flat.length / rows;
            int[] feed = new int[rows];
            boolean[] consume = new boolean[rows];
            boolean anyConsume = false;
            for (int s = 0; s < rows; s++) {
                int g = rowOf[s];
                if (!active[g]) {
                    continue;
                }
                SampledToken t = sampler.sample(Arrays.copyOfRange(flat, s * vocab, (s + 1) * vocab), rng[g]);
                tok[g][len[g]] = t.token();
                lp[g][len[g]] = t.logProb();
                len[g]++;
                boolean stop = stops.contains(t.token());
                if (stop) {
                    active[g] = false;
                    alive--;
                }
                feed[s] = t.token();
                consume[s] = keepState || (!stop && step < cap - 1);
                anyConsume |= consume[s];
            }
            if (anyConsume) {
                state.append(feed, consume);
            }
            if (!keepState && alive > 0 && alive * 2 <= rows && rows >= 8) {
                int[] keep = new int[alive];
                int[] newRowOf = new int[alive];
                int i = 0;
                for (int s = 0; s < rows; s++) {
                    if (active[rowOf[s]]) {
                        keep[i] = s;
                        newRowOf[i++] = rowOf[s];
                    }
                }
                state = state.fork(keep);
                rowOf = newRowOf;
            }
        }
        Generation g = new Generation();
        g.truncated = new boolean[n];
        for (int r = 0; r < n; r++) {
            g.tokens.add(Arrays.copyOf(tok[r], len[r]));
            g.logProbs.add(Arrays.copyOf(lp[r], len[r]));
            g.truncated[r] = active[r];
        }
        g.state = state;
        return g;
    }

    /** SplitMix64 finaliser over the seed and the tree coordinates. */
    static long mix(long seed, long p, long k, long m) {
        long h = seed;
        for (long x : new long[] {p, k, m}) {
            h = fmix(h ^ fmix(x + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int[] repeatEach(int n, int times) {
        int[] out = new int[n * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = i / times;
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static int[] append(int[] a, int x) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = x;
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
