package io.github.dl4jgrpoma.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.Seeds;
import io.github.dl4jgrpoma.policy.BatchRows;

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
 *   <li>each thought's state (prompt + thought already consumed) is forked M times (with M = 1 the thought's state
 *       itself goes on) and the P·K·M answers are decoded together until a stop token or {@code maxAnswerTokens}; rows
 *       that finished are dropped from the batch once they are at least half of it. Forks pass the number of appends
 *       to follow ({@link DecodingState#fork(int[], int)}), so a decoder can share a thought's cache among its
 *       answers.</li>
 * </ol>
 * Without prefix sharing every thought row prefills its prompt and every answer row prefills prompt + thought from
 * scratch (the cost of a generic {@code generate} per sequence).
 *
 * <p>Randomness: thought k of a prompt draws from a {@link SplittableRandom} seeded by a hash of
 * {@code (seed, prompt id, k)} and answer m of it from one seeded by {@code (seed, prompt id, k, m)} (see
 * {@link #promptKeys}), so a prompt's rollout is a function of the seed, its id and the weights, wherever it sits
 * in the batch and whatever the batch size: prompts can be sharded over workers without changing results. The recorded log-probabilities are those of
 * {@link TokenSampler}: temperature applied, top-k / top-p not. The engine holds no state between calls; it
 * {@linkplain DecodingState#close() closes} every decoding state it is done with, so a decoder that can free memory at
 * once (the built-in transformer's) does; what a decoder leaves to the GC is released by the Java GC.
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
     * @param prompts the prompts (token ids non-empty, e.g. BOS + text + begin-of-thought; conditioning as the
     *                policy takes it)
     * @param seed    seed of all sampling in this call (a trainer derives it from the run seed and the step)
     * @throws IllegalArgumentException if there is no prompt, prompt + caps exceed the decoder's maximum length, or
     *                                  the prompts' conditioning differs from the model's
     */
    public RolloutBatch rollout(List<Prompt> prompts, long seed) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("rollout needs at least one prompt");
        }
        for (int p = 0; p < prompts.size(); p++) {
            int need = config.maxSequenceLength(prompts.get(p).length());
            if (need > decoder.maxLength()) {
                throw new IllegalArgumentException("prompt " + p + " (id " + prompts.get(p).id() + ") has " + prompts.get(p).length()
                        + " tokens; with maxThoughtTokens=" + config.maxThoughtTokens() + ", a forced end-of-thought and maxAnswerTokens="
                        + config.maxAnswerTokens() + " a sequence may reach " + need + " tokens, more than the model's maximum length "
                        + decoder.maxLength() + "; shorten the prompt or lower the caps");
            }
        }
        long start = System.nanoTime();
        int np = prompts.size();
        int k = config.thoughts();
        int m = config.answersPerThought();
        int nt = np * k;

        int[][] promptTokens = new int[np][];
        for (int p = 0; p < np; p++) {
            promptTokens[p] = prompts.get(p).tokens();
        }
        Map<String, INDArray> conditioning = Conditioning.stack(prompts.stream().map(Prompt::conditioning).toList());
        long[] promptKeys = promptKeys(prompts);
        DecodingState thoughtState;
        if (config.prefixSharing()) {
            try (DecodingState promptState = decoder.prefill(promptTokens, conditioning)) {
                // the thought phase appends each sampled token, and a forced end-of-thought; with one answer per
                // thought the answer phase continues in the same state (every answer token but the last)
                int answerAppends = m == 1 ? Math.max(0, config.maxAnswerTokens() - 1) : 0;
                thoughtState = promptState.fork(repeatEach(np, k), config.maxThoughtTokens() + 1 + answerAppends);
            }
        } else {
            int[][] rows = new int[nt][];
            for (int r = 0; r < nt; r++) {
                rows[r] = promptTokens[r / k];
            }
            thoughtState = decoder.prefill(rows, BatchRows.select(conditioning, repeatEach(np, k)));
        }
        SplittableRandom[] thoughtRng = new SplittableRandom[nt];
        for (int r = 0; r < nt; r++) {
            thoughtRng[r] = new SplittableRandom(Seeds.mix(seed, promptKeys[r / k], r % k, -1));
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
        if (config.prefixSharing() && m == 1) {
            answerState = thoughts.state;          // one answer per thought: the thought's own state, no copy
        } else if (config.prefixSharing()) {
            // the answer phase appends every sampled token but the last
            answerState = thoughts.state.fork(repeatEach(nt, m), Math.max(0, config.maxAnswerTokens() - 1));
            thoughts.state.close();
        } else {
            thoughts.state.close();
            int[][] rows = new int[na][];
            int[] promptOfRow = new int[na];
            for (int a = 0; a < na; a++) {
                int r = a / m;
                rows[a] = concat(promptTokens[r / k], context[r]);
                promptOfRow[a] = r / k;
            }
            answerState = decoder.prefill(rows, BatchRows.select(conditioning, promptOfRow));
        }
        SplittableRandom[] answerRng = new SplittableRandom[na];
        for (int a = 0; a < na; a++) {
            int r = a / m;
            answerRng[a] = new SplittableRandom(Seeds.mix(seed, promptKeys[r / k], r % k, a % m));
        }
        Generation answers = generate(answerState, answerRng, config.maxAnswerTokens(), config.answerStopTokens(), false);
        answers.state.close();

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
            // one bulk copy (INDArray.toDoubleMatrix reads element by element: ~1.4 ms for [64, 20]); no dup when the
            // logits are already a whole c-ordered array
            INDArray logits = state.nextLogits();
            boolean whole = logits.ordering() == 'c' && !logits.isView() && logits.data().length() == logits.length();
            double[] flat = (whole ? logits : logits.dup('c')).data().asDouble();
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
                // appends still to come: at steps step + 1 .. cap - 2
                DecodingState compacted = state.fork(keep, Math.max(0, cap - 2 - step));
                state.close();
                state = compacted;
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

    /**
     * The random key of every prompt: a hash of its id, mixed with its occurrence number among earlier prompts of
     * the batch with the same id (0 for the first), so duplicates are sampled independently while a unique prompt's
     * key does not depend on its position.
     */
    static long[] promptKeys(List<Prompt> prompts) {
        Map<String, Integer> seen = new HashMap<>();
        long[] keys = new long[prompts.size()];
        for (int p = 0; p < keys.length; p++) {
            String id = prompts.get(p).id();
            int occurrence = seen.merge(id, 1, Integer::sum) - 1;
            keys[p] = Seeds.mix(Seeds.hash(id), occurrence);
        }
        return keys;
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
