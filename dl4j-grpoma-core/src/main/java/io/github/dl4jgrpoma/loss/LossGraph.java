package io.github.dl4jgrpoma.loss;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Names of everything {@link GrpoLoss#attach} added to a graph: the placeholders to feed and the outputs
 * to read. All placeholders are {@code [B,T]}: {@link #targets()} is INT32, the others have the logits' data
 * type.
 *
 * @param config         the configuration the loss was built with
 * @param targets        placeholder (INT32, i.e. {@code DataType.INT}): next-token id per position
 * @param thoughtMask    placeholder: 1 on thought tokens that carry loss, else 0
 * @param answerMask     placeholder: 1 on answer tokens that carry loss, else 0 (disjoint from thoughtMask)
 * @param advantages     placeholder: per-token advantage
 * @param oldLogProbs    placeholder: log-prob of the target under the sampling (old) policy
 * @param refLogProbs    placeholder: log-prob of the target under the reference policy; present only when
 *                       {@code beta > 0}
 * @param loss           output: the scalar loss, marked as a loss variable
 * @param tokenLogProbs  output: {@code log pi_theta(target)} per position, {@code [B,T]}, unmasked (for old /
 *                       reference log-probs from a forward pass)
 * @param clipFracLow    metric: fraction of loss tokens with {@code A < 0} and ratio {@code < 1 - epsLow}
 * @param clipFracHigh   metric: fraction of loss tokens with {@code A > 0} and ratio {@code > 1 + epsHigh}
 * @param approxKl       metric: mean over loss tokens of {@code r - 1 - log r}, the k3 estimate of
 *                       {@code KL(pi_old || pi_theta)} on tokens sampled from the old policy
 * @param ratioMean      metric: mean ratio over loss tokens
 * @param refKl          metric: mean over loss tokens of the configured KL estimator to the reference;
 *                       present only when {@code beta > 0}
 * @param entropy        metric: mean over loss tokens of the current policy's entropy
 *                       {@code -sum_v p_v log p_v}
 * @param tokenEntropy   output: that entropy per position, {@code [B,T]}, unmasked (depends on the policy input only)
 * @param sequenceWeights placeholder: per-token {@link SequenceWeights}; present only for a loss attached for packed
 *                       rows ({@link GrpoLoss#attach(org.nd4j.autodiff.samediff.SameDiff,
 *                       org.nd4j.autodiff.samediff.SDVariable, int, LossConfig, AggregationRegistry, String, boolean)})
 */
public record LossGraph(LossConfig config, String targets, String thoughtMask, String answerMask, String advantages,
                        String oldLogProbs, Optional<String> refLogProbs, String loss, String tokenLogProbs,
                        String clipFracLow, String clipFracHigh, String approxKl, String ratioMean,
                        Optional<String> refKl, String entropy, String tokenEntropy, Optional<String> sequenceWeights) {

    /** Names of a loss without sequence weights (rows of one sequence each). */
    public LossGraph(LossConfig config, String targets, String thoughtMask, String answerMask, String advantages,
                     String oldLogProbs, Optional<String> refLogProbs, String loss, String tokenLogProbs,
                     String clipFracLow, String clipFracHigh, String approxKl, String ratioMean,
                     Optional<String> refKl, String entropy, String tokenEntropy) {
        this(config, targets, thoughtMask, answerMask, advantages, oldLogProbs, refLogProbs, loss, tokenLogProbs,
                clipFracLow, clipFracHigh, approxKl, ratioMean, refKl, entropy, tokenEntropy, Optional.empty());
    }

    /** Checks that no name is null and that reference names are present exactly when beta > 0. */
    public LossGraph {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(refLogProbs, "refLogProbs");
        Objects.requireNonNull(refKl, "refKl");
        Objects.requireNonNull(sequenceWeights, "sequenceWeights");
        for (String s : new String[] {targets, thoughtMask, answerMask, advantages, oldLogProbs, loss, tokenLogProbs,
                clipFracLow, clipFracHigh, approxKl, ratioMean, entropy, tokenEntropy}) {
            Objects.requireNonNull(s, "LossGraph names must not be null");
        }
        if (refLogProbs.isPresent() != config.usesReference() || refKl.isPresent() != config.usesReference()) {
            throw new IllegalArgumentException("LossGraph: reference names must be present exactly when beta > 0 (beta="
                    + config.beta() + ")");
        }
    }

    /**
     * Placeholder names in a fixed order: targets, thought, answer, advantages, old, then ref and sequence weights if
     * present.
     */
    public List<String> placeholderNames() {
        List<String> out = new ArrayList<>(List.of(targets, thoughtMask, answerMask, advantages, oldLogProbs));
        refLogProbs.ifPresent(out::add);
        sequenceWeights.ifPresent(out::add);
        return List.copyOf(out);
    }

    /** Scalar metric output names: clipFracLow, clipFracHigh, approxKl, ratioMean, [refKl], entropy. */
    public List<String> metricNames() {
        List<String> out = new ArrayList<>(List.of(clipFracLow, clipFracHigh, approxKl, ratioMean));
        refKl.ifPresent(out::add);
        out.add(entropy);
        return List.copyOf(out);
    }

    /**
     * The placeholder map for one batch of rows holding one sequence each (merge it with the model's own
     * placeholders); a loss with sequence weights gets {@link SequenceWeights#perRow}.
     *
     * @param refLogProbsValue reference log-probs; must be null exactly when the graph has no reference
     * @throws IllegalArgumentException if an array is missing or the reference presence does not match
     */
    public Map<String, INDArray> feed(INDArray targetsValue, INDArray thoughtMaskValue, INDArray answerMaskValue,
                                      INDArray advantagesValue, INDArray oldLogProbsValue, INDArray refLogProbsValue) {
        return feed(targetsValue, thoughtMaskValue, answerMaskValue, advantagesValue, oldLogProbsValue, refLogProbsValue,
                sequenceWeights.isPresent() && thoughtMaskValue != null && answerMaskValue != null
                        ? SequenceWeights.perRow(thoughtMaskValue, answerMaskValue) : null);
    }

    /**
     * The placeholder map for one batch whose rows may hold several sequences.
     *
     * @param sequenceWeightsValue {@link SequenceWeights} {@code [B,T]}; ignored (may be null) when the loss has none
     * @throws IllegalArgumentException if an array is missing, or the reference or sequence-weight presence does not
     *                                  match
     */
    public Map<String, INDArray> feed(INDArray targetsValue, INDArray thoughtMaskValue, INDArray answerMaskValue,
                                      INDArray advantagesValue, INDArray oldLogProbsValue, INDArray refLogProbsValue,
                                      INDArray sequenceWeightsValue) {
        if (sequenceWeights.isPresent() && sequenceWeightsValue == null) {
            throw new IllegalArgumentException("LossGraph.feed: this loss was attached for packed rows and needs the"
                    + " sequence weights (SequenceWeights.perRow for one sequence per row)");
        }
        if (targetsValue == null || thoughtMaskValue == null || answerMaskValue == null || advantagesValue == null
                || oldLogProbsValue == null) {
            throw new IllegalArgumentException("LossGraph.feed: targets, masks, advantages and old log-probs are required");
        }
        if ((refLogProbsValue != null) != refLogProbs.isPresent()) {
            throw new IllegalArgumentException("LossGraph.feed: refLogProbs must be given exactly when beta > 0 (beta="
                    + config.beta() + "), got " + (refLogProbsValue == null ? "none" : "an array"));
        }
        Map<String, INDArray> map = new HashMap<>();
        map.put(targets, targetsValue);
        map.put(thoughtMask, thoughtMaskValue);
        map.put(answerMask, answerMaskValue);
        map.put(advantages, advantagesValue);
        map.put(oldLogProbs, oldLogProbsValue);
        refLogProbs.ifPresent(name -> map.put(name, refLogProbsValue));
        sequenceWeights.ifPresent(name -> map.put(name, sequenceWeightsValue));
        return Map.copyOf(map);
    }
}
