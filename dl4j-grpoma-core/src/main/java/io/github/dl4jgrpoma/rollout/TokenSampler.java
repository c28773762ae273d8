package io.github.dl4jgrpoma.rollout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws a token from next-token logits with temperature, top-k and top-p (nucleus) filtering.
 *
 * <p>With {@code z = logits / temperature} (temperature &gt; 0):
 * <ol>
 *   <li>top-k (if {@code topK > 0}): keep the {@code topK} largest {@code z} (ties broken by lower id);</li>
 *   <li>top-p (if {@code topP < 1}): of the kept tokens sorted by decreasing probability, keep the shortest
 *       prefix whose probability mass (renormalised over the kept tokens) reaches {@code topP}; the most likely
 *       token is always kept;</li>
 *   <li>sample from {@code softmax(z)} restricted to the kept tokens and renormalised.</li>
 * </ol>
 *
 * <p><b>Recorded log-probability.</b> {@link SampledToken#logProb()} is {@code log softmax(z)[token]}: the
 * temperature-scaled policy <em>before</em> top-k / top-p filtering. This is the distribution a trainer's loss
 * evaluates when it divides the logits by the same temperature (the convention of TRL's GRPO trainer), so on the
 * first inner epoch the importance ratio {@code pi_theta / pi_old} is exactly 1. It is not the probability of
 * the filtered distribution the token was actually drawn from; with top-k / top-p active the two differ by the
 * (log of the) kept mass. Pure function of its arguments: the random source is passed in.
 */
public final class TokenSampler {
    private final double temperature;
    private final int topK;
    private final double topP;

    /**
     * @param temperature &gt; 0; 1 is the policy itself
     * @param topK        0 disables; otherwise the number of tokens kept
     * @param topP        in (0, 1]; 1 disables
     */
    public TokenSampler(double temperature, int topK, double topP) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature = " + temperature + " must be finite and > 0 (1 = the policy; use topK = 1 for greedy)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK = " + topK + " must be >= 0 (0 disables top-k)");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP = " + topP + " must be in (0, 1] (1 disables top-p)");
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
    }

    /**
     * Samples one token from {@code logits} (length V) with the random source {@code rng}. {@code -Infinity}
     * entries are never drawn.
     *
     * @throws IllegalStateException if a logit is NaN or +Infinity, or every logit is -Infinity
     */
    public SampledToken sample(double[] logits, SplittableRandom rng) {
        int v = logits.length;
        double[] z = new double[v];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            z[i] = logits[i] / temperature;
            max = Double.isNaN(z[i]) ? Double.NaN : Math.max(max, z[i]);
        }
        if (!Double.isFinite(max)) {
            throw new IllegalStateException("cannot sample: the logits " + (Double.isNaN(max) ? "contain NaN" : max > 0
                    ? "contain +Infinity" : "are all -Infinity") + "; the policy has diverged or masked every token");
        }
        double sum = 0;
        double[] w = new double[v];
        for (int i = 0; i < v; i++) {
            w[i] = Math.exp(z[i] - max);
            sum += w[i];
        }
        double logNorm = max + Math.log(sum);
        int token;
        if (topK == 0 && topP >= 1) {
            token = draw(w, null, v, sum, rng);
        } else {
            Integer[] order = new Integer[v];
            for (int i = 0; i < v; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> z[a] != z[b] ? Double.compare(z[b], z[a]) : Integer.compare(a, b));
            int kept = topK > 0 ? Math.min(topK, v) : v;
            double keptMass = 0;
            for (int i = 0; i < kept; i++) {
                keptMass += w[order[i]];
            }
            if (topP < 1) {
                double cum = 0;
                int n = 0;
                while (n < kept && (n == 0 || cum < topP * keptMass)) {
                    cum += w[order[n]];
                    n++;
                }
                kept = n;
                keptMass = cum;
            }
            token = draw(w, order, kept, keptMass, rng);
        }
        return new SampledToken(token, z[token] - logNorm);
    }

    /** Inverse-CDF draw over the first {@code n} tokens of {@code order} (identity order if null). */
    private static int draw(double[] w, Integer[] order, int n, double mass, SplittableRandom rng) {
        double u = rng.nextDouble() * mass;
        double cum = 0;
        for (int i = 0; i < n; i++) {
            int id = order == null ? i : order[i];
            cum += w[id];
            if (u < cum) {
                return id;
            }
        }
        // rounding: u landed at the very top of the mass; return the last token with non-zero weight
        for (int i = n - 1; i >= 0; i--) {
            int id = order == null ? i : order[i];
            if (w[id] > 0) {
                return id;
            }
        }
        return order == null ? 0 : order[0];
    }
}
