package io.github.dl4jgrpoma.loss;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.dl4jgrpoma.graph.SafeOps;

/**
 * Attaches the GRPO / GRPO-MA clipped policy loss to any SameDiff graph that exposes next-token logits
 * {@code [B,T,V]}. Nothing is assumed about the model that produced the logits.
 *
 * <h2>Equations</h2>
 * With placeholders {@code y[b,t]} (targets), {@code th[b,t]}, {@code ans[b,t]} (0/1, disjoint masks),
 * {@code A[b,t]} (advantages), {@code old[b,t]} (sampling log-probs), {@code ref[b,t]} (reference
 * log-probs, only when {@code beta > 0}) and the loss mask {@code m = th + ans}:
 * <pre>
 *   logp[b,t]  = log_softmax(logits[b,t,:])[y[b,t]]           (stable, SafeOps.logSoftmax x one-hot)
 *   r[b,t]     = exp(ratio((logp - old) * m))                  (= 1 where m = 0; ratio: the named
 *                                                              ImportanceRatio, "token" = identity, GSPO's
 *                                                              "sequence" = per-sequence mean of the log-ratios)
 *   s1 = r * (A m),   s2 = clip(r, 1 - epsLow, 1 + epsHigh) * (A m)
 *   surr       = min(s1, s2)                                   (SafeOps.min: a - relu(a - b))
 *   d          = (ref - logp) * m
 *   kl         = K2: d^2 / 2   |   K3: exp(d) - d - 1         (only when beta > 0)
 *   o[b,t]     = surr - beta * kl
 *   L          = aggregation(o, th, ans)                       (see LossAggregation implementations)
 * </pre>
 * The multiplications by {@code m} before {@code exp} make masked positions harmless: they may carry any
 * finite garbage in {@code A}, {@code old} and {@code ref} (e.g. 1e30), yet {@code r = 1},
 * {@code kl = 0}, {@code o = 0} there and the gradient reaching their logits is exactly 0, with no
 * {@code inf * 0 = NaN}. Non-finite values (NaN, inf) at masked positions are not supported. Targets at
 * masked positions may be any id, also out of range (its one-hot row is then 0). The masks are not
 * checked at run time: they must hold only 0 and 1, and a position set in both would count twice.
 *
 * <p>The gradient is the clipped PPO gradient: a token whose ratio is clipped on its advantage's side
 * ({@code A > 0, r > 1 + epsHigh} or {@code A < 0, r < 1 - epsLow}) gets zero surrogate gradient; inside
 * the clip range the gradient is exactly the on-policy policy gradient {@code A r grad logp}, not twice it
 * (the M2.1 {@code sd.math.min} tie bug is avoided by {@link SafeOps#min}).
 *
 * <h2>Metrics</h2>
 * Scalar outputs over the loss tokens ({@code m = 1}, count {@code N = max(1, sum m)}); they are separate
 * outputs that do not feed the loss, so they do not change its gradient:
 * clip fraction low {@code sum m [A<0][r<1-epsLow] / N}, clip fraction high
 * {@code sum m [A>0][r>1+epsHigh] / N}, approximate {@code KL(pi_old || pi_theta)}
 * {@code sum m (r - 1 - log r) / N} (the k3 estimator for tokens sampled from the old policy, as in
 * Stable-Baselines3's {@code approx_kl}; unbiased because {@code E_old[r] = 1}), mean ratio
 * {@code sum m r / N}, reference KL
 * {@code sum m kl / N} (configured estimator, beta &gt; 0 only) and entropy
 * {@code sum m H / N} with {@code H[b,t] = -sum_v p log p}. Clip fractions and mean ratio use the configured ratio
 * {@code r} (sequence ratios for GSPO); {@code approx_kl} always uses the per-token ratios. The unmasked per-token
 * entropy {@code H[b,t]} is an output too ({@link LossGraph#tokenEntropy()}, used for entropy-guided token selection).
 *
 * <h2>Departures from the paper</h2>
 * The paper publishes neither code nor the exact thought/answer weighting: the default
 * {@code "sequence-mean"} aggregation keeps GRPO's per-sequence means with an explicit thought weight
 * (GRPO-MA.md step 8); the KL penalty is per token inside the aggregation (as DeepSeekMath's GRPO), with
 * {@code beta = 0} by default (as current TRL); asymmetric clipping (DAPO) is available through
 * {@code epsHigh}.
 *
 * <h2>Graph side effects</h2>
 * Adds placeholders and variables whose names start with the given prefix (default
 * {@value #DEFAULT_PREFIX}); the loss is added to the graph's loss variables with {@code markAsLoss}, so if
 * the graph already has losses, training minimises their sum. The graph's own placeholders (for example
 * input tokens) must be fed as well.
 */
public final class GrpoLoss {
    /** Default prefix of every name added to the graph. */
    public static final String DEFAULT_PREFIX = "grpo_";

    private static final Logger LOG = LoggerFactory.getLogger(GrpoLoss.class);

    private GrpoLoss() {
    }

    /** Attaches with the default aggregation registry and the prefix {@value #DEFAULT_PREFIX}. */
    public static LossGraph attach(SameDiff sd, SDVariable logits, int vocabSize, LossConfig config) {
        return attach(sd, logits, vocabSize, config, AggregationRegistry.defaults(), DEFAULT_PREFIX);
    }

    /** Attaches with the default importance-ratio registry ({@link ImportanceRatioRegistry#defaults()}). */
    public static LossGraph attach(SameDiff sd, SDVariable logits, int vocabSize, LossConfig config,
                                   AggregationRegistry registry, String prefix) {
        return attach(sd, logits, vocabSize, config, registry, ImportanceRatioRegistry.defaults(), prefix);
    }

    /**
     * Attaches the loss, its per-token log-probs and metrics to {@code sd}.
     *
     * @param sd         the user's graph
     * @param logits     next-token logits {@code [B,T,V]} (FLOAT or DOUBLE; placeholders take its type)
     * @param vocabSize  {@code V}, the size of the last logits dimension
     * @param config     loss settings
     * @param registry   where {@link LossConfig#aggregation()} is looked up
     * @param ratios     where {@link LossConfig#importanceRatio()} is looked up
     * @param prefix     prefix of all names added (non-blank), to avoid clashes with the user's names
     * @return the names of the placeholders and outputs
     * @throws IllegalArgumentException on a bad argument, an unknown aggregation or importance ratio, a non-floating
     *                                  logits type,
     *                                  a logits shape that is known and not {@code [*,*,vocabSize]}, or a name
     *                                  that already exists in the graph
     */
    public static LossGraph attach(SameDiff sd, SDVariable logits, int vocabSize, LossConfig config,
                                   AggregationRegistry registry, ImportanceRatioRegistry ratios, String prefix) {
        return attach(sd, logits, vocabSize, config, registry, ratios, prefix, false);
    }

    /**
     * As {@link #attach(SameDiff, SDVariable, int, LossConfig, AggregationRegistry, String)} with the default
     * importance-ratio registry, for packed rows when {@code packedRows} (see the full form).
     */
    public static LossGraph attach(SameDiff sd, SDVariable logits, int vocabSize, LossConfig config,
                                   AggregationRegistry registry, String prefix, boolean packedRows) {
        return attach(sd, logits, vocabSize, config, registry, ImportanceRatioRegistry.defaults(), prefix, packedRows);
    }

    /**
     * As {@link #attach(SameDiff, SDVariable, int, LossConfig, AggregationRegistry, ImportanceRatioRegistry, String)};
     * with {@code packedRows} it also adds the placeholder {@code <prefix>sequence_weights} ({@link SequenceWeights},
     * {@link LossGraph#sequenceWeights()}) that aggregations averaging per sequence read, so that a row may hold
     * several sequences (a thought and its M answers).
     */
    public static LossGraph attach(SameDiff sd, SDVariable logits, int vocabSize, LossConfig config,
                                   AggregationRegistry registry, ImportanceRatioRegistry ratios, String prefix,
                                   boolean packedRows) {
        validate(sd, logits, vocabSize, config, registry, prefix);
        LossAggregation aggregation = registry.get(config.aggregation());
        if (ratios == null) {
            throw new IllegalArgumentException("GrpoLoss.attach: ratios must not be null; pass ImportanceRatioRegistry.defaults()");
        }
        ImportanceRatio ratioStrategy = ratios.get(config.importanceRatio());
        Names n = new Names(prefix, config.usesReference(), packedRows);
        n.requireFree(sd);
        DataType dt = logits.dataType();

        SDVariable targets = sd.placeHolder(n.targets, DataType.INT32, -1, -1);
        SDVariable th = sd.placeHolder(n.thought, dt, -1, -1);
        SDVariable ans = sd.placeHolder(n.answer, dt, -1, -1);
        SDVariable adv = sd.placeHolder(n.advantages, dt, -1, -1);
        SDVariable old = sd.placeHolder(n.old, dt, -1, -1);
        SDVariable ref = config.usesReference() ? sd.placeHolder(n.ref, dt, -1, -1) : null;
        SDVariable weights = packedRows ? sd.placeHolder(n.sequenceWeights, dt, -1, -1) : null;

        SDVariable logProbs = SafeOps.stableLogSoftmax(sd, prefix + "log_softmax", logits, 2);          // [B,T,V]
        SDVariable tokenLogp = logProbs.mul(SafeOps.oneHot(sd, targets, vocabSize, dt)).sum(2)
                .rename(n.tokenLogp);                                                             // [B,T]
        SDVariable mask = th.add(ans).rename(prefix + "loss_mask");
        SDVariable maskedAdv = adv.mul(mask);
        SDVariable tokenLogRatio = tokenLogp.sub(old).mul(mask);
        SDVariable ratio = sd.math.exp(ratioStrategy.logRatio(new RatioContext(sd, tokenLogRatio, th, ans, prefix)))
                .rename(prefix + "ratio");
        SDVariable s1 = ratio.mul(maskedAdv);
        SDVariable s2 = sd.clipByValue(ratio, 1.0 - config.epsLow(), 1.0 + config.epsHigh()).mul(maskedAdv);
        SDVariable objective = SafeOps.min(sd, prefix + "surrogate", s1, s2);
        SDVariable refKl = null;
        if (ref != null) {
            SDVariable d = ref.sub(tokenLogp).mul(mask);
            refKl = config.klEstimator().build(sd, d).rename(prefix + "ref_kl_token");
            objective = objective.sub(refKl.mul(config.beta()));
        }
        objective = objective.rename(prefix + "objective");

        SDVariable loss = aggregation.aggregate(new AggregationContext(sd, objective, th, ans, config, prefix, weights));
        loss = loss.rename(n.loss);
        loss.markAsLoss();

        addMetrics(sd, n, config, logProbs, tokenLogRatio, ratio, maskedAdv, mask, refKl);
        LOG.debug("Attached GRPO loss '{}' ({}, {} ratio; beta={}, eps=[{}, {}], kl={}) to logits '{}'", n.loss,
                config.aggregation(), config.importanceRatio(), config.beta(), config.epsLow(), config.epsHigh(),
                config.klEstimator(), logits.name());
        return new LossGraph(config, n.targets, n.thought, n.answer, n.advantages, n.old,
                Optional.ofNullable(ref == null ? null : n.ref), n.loss, n.tokenLogp, n.clipLow, n.clipHigh,
                n.approxKl, n.ratioMean, Optional.ofNullable(ref == null ? null : n.refKl), n.entropy, n.tokenEntropy,
                Optional.ofNullable(packedRows ? n.sequenceWeights : null));
    }

    private static void addMetrics(SameDiff sd, Names n, LossConfig config, SDVariable logProbs,
                                   SDVariable logRatio, SDVariable ratio, SDVariable maskedAdv,
                                   SDVariable mask, SDVariable refKl) {
        DataType dt = mask.dataType();
        SDVariable tokens = SafeOps.max(sd, AggregationContext.uniqueName(sd, n.prefix + "metric_tokens"),
                mask.sum(), sd.constant(Nd4j.scalar(dt, 1.0)));
        SDVariable low = ratio.lt(1.0 - config.epsLow()).castTo(dt).mul(maskedAdv.lt(0.0).castTo(dt));
        meanOverLoss(low, mask, tokens).rename(n.clipLow);
        SDVariable high = ratio.gt(1.0 + config.epsHigh()).castTo(dt).mul(maskedAdv.gt(0.0).castTo(dt));
        meanOverLoss(high, mask, tokens).rename(n.clipHigh);
        // k3 with d = log r: r - 1 - log r, an unbiased estimate of KL(old || current) under old samples
        meanOverLoss(KlEstimator.K3.build(sd, logRatio), mask, tokens).rename(n.approxKl);
        meanOverLoss(ratio, mask, tokens).rename(n.ratioMean);
        if (refKl != null) {
            meanOverLoss(refKl, mask, tokens).rename(n.refKl);
        }
        SDVariable entropy = sd.math.exp(logProbs).mul(logProbs).sum(2).neg().rename(n.tokenEntropy);  // [B,T]
        meanOverLoss(entropy, mask, tokens).rename(n.entropy);
    }

    private static SDVariable meanOverLoss(SDVariable perToken, SDVariable mask, SDVariable tokens) {
        return perToken.mul(mask).sum().div(tokens);
    }

    private static void validate(SameDiff sd, SDVariable logits, int vocabSize, LossConfig config,
                                 AggregationRegistry registry, String prefix) {
        if (sd == null || logits == null || config == null || registry == null) {
            throw new IllegalArgumentException("GrpoLoss.attach: sd, logits, config and registry must not be null");
        }
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("GrpoLoss.attach: prefix must be non-blank, got '" + prefix
                    + "'; use e.g. \"" + DEFAULT_PREFIX + "\"");
        }
        if (vocabSize < 2) {
            throw new IllegalArgumentException("GrpoLoss.attach: vocabSize must be >= 2, got " + vocabSize
                    + "; pass the size of the last logits dimension");
        }
        if (!logits.dataType().isFPType()) {
            throw new IllegalArgumentException("GrpoLoss.attach: logits '" + logits.name() + "' have data type "
                    + logits.dataType() + "; cast them to FLOAT or DOUBLE");
        }
        long[] shape = logits.getShape();
        if (shape != null && (shape.length != 3 || (shape[2] > 0 && shape[2] != vocabSize))) {
            throw new IllegalArgumentException("GrpoLoss.attach: logits '" + logits.name() + "' must have shape [B,T,"
                    + vocabSize + "], got " + Arrays.toString(shape) + "; reshape them to [B,T,V]");
        }
    }

    /** The names added to the graph, derived from the prefix. */
    private static final class Names {
        final String targets;
        final String thought;
        final String answer;
        final String advantages;
        final String old;
        final String ref;
        final String loss;
        final String tokenLogp;
        final String clipLow;
        final String clipHigh;
        final String approxKl;
        final String ratioMean;
        final String refKl;
        final String entropy;
        final String sequenceWeights;
        final String tokenEntropy;
        private final boolean withRef;
        private final boolean withWeights;
        private final String prefix;

        Names(String p, boolean withRef, boolean withWeights) {
            this.prefix = p;
            this.withRef = withRef;
            this.withWeights = withWeights;
            sequenceWeights = p + "sequence_weights";
            targets = p + "targets";
            thought = p + "thought_mask";
            answer = p + "answer_mask";
            advantages = p + "advantages";
            old = p + "old_logprobs";
            ref = p + "ref_logprobs";
            loss = p + "loss";
            tokenLogp = p + "token_logprobs";
            clipLow = p + "clip_frac_low";
            clipHigh = p + "clip_frac_high";
            approxKl = p + "approx_kl";
            ratioMean = p + "ratio_mean";
            refKl = p + "ref_kl";
            entropy = p + "entropy";
            tokenEntropy = p + "token_entropy";
        }

        void requireFree(SameDiff sd) {
            List<String> all = new ArrayList<>(List.of(targets, thought, answer, advantages, old, loss, tokenLogp,
                    clipLow, clipHigh, approxKl, ratioMean, entropy, tokenEntropy, prefix + "log_softmax", prefix + "loss_mask",
                    prefix + "ratio", prefix + "surrogate", prefix + "objective"));
            if (withRef) {
                all.add(ref);
                all.add(refKl);
                all.add(prefix + "ref_kl_token");
            }
            if (withWeights) {
                all.add(sequenceWeights);
            }
            for (String name : all) {
                if (sd.hasVariable(name)) {
                    throw new IllegalArgumentException("GrpoLoss.attach: the graph already has a variable named '"
                            + name + "'; pass another prefix than '" + prefix + "'");
                }
            }
        }
    }
}
