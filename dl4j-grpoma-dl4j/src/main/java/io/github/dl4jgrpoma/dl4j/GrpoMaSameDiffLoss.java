package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.loss.LossConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.SameDiffLoss;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The GRPO-MA clipped policy loss as DL4J's own loss extension point, for the output layer of a
 * {@code MultiLayerNetwork} or {@code ComputationGraph} ({@code RnnOutputLayer} for sequences, {@code OutputLayer}
 * for single steps). The layer's activation must be {@code IDENTITY}: its output is the next-token logits and this
 * loss applies a stable log-softmax ({@link SafeOps#stableLogSoftmax}, never the M2.1 {@code sd.nn.logSoftmax}
 * whose backprop throws).
 *
 * <h2>Label layout ({@link GrpoMaLabels} builds it)</h2>
 * Labels have the shape of the logits ({@code [R, V, T]} for an {@code RnnOutputLayer}; DL4J hands this loss the
 * 2-D {@code [R*T, V]} view). At a position that carries loss (label mask 1), with target token {@code y},
 * per-token coefficient {@code c} and old (sampling) log-probability {@code o <= 0}:
 * <pre>
 *   label[y] = c                      (the only maximum of the vector)
 *   label[v] = o - 1 - |c|  (v != y)  (all equal and strictly below c, since o - 1 &lt; 0)
 * </pre>
 * so the loss decodes {@code c = max(label)}, {@code y} = the slot above the minimum and
 * {@code o = min(label) + 1 + |c|}. {@code c = n A} is the token's advantage {@code A} (thought advantage on
 * thought tokens, answer advantage on answer tokens) times its aggregation weight {@code n > 0} (for the default
 * {@code sequence-mean}: {@code w_th / (thought tokens of the row x rows with a thought)} on thought tokens,
 * {@code 1 / (answer tokens of the row x rows with an answer)} on answer tokens) times the number of rows R,
 * because DL4J divides the summed score by the minibatch size. A position whose label vector is all zeros
 * contributes nothing (its target one-hot is empty). The label mask {@code [R, T]} is 1 exactly where a target
 * carries loss; each thought's tokens are set in one row only (answer 0 of the thought), as core's
 * {@link io.github.dl4jgrpoma.train.BatchPacker} lays them out, so each thought enters the loss once.
 *
 * <h2>Per-position score</h2>
 * <pre>
 *   logp = stableLogSoftmax(logits)[y],  r = exp(logp - o)
 *   score = -min(r c, clip(r, 1 - epsLow, 1 + epsHigh) c)      (SafeOps.min: a - relu(a - b))
 * </pre>
 * Because the old log-probabilities travel in the labels this is the full clipped (PPO) objective: several
 * {@code fit} passes over one batch are the inner epochs of GRPO, with the clip taking effect after the first.
 * The DL4J score ({@code sum / R}) then equals {@link io.github.dl4jgrpoma.loss.GrpoLoss}'s loss on the same tokens
 * for the {@code sequence-mean}, {@code token-mean} and {@code constant} aggregations. Limits: no KL penalty to a
 * reference model (beta must be 0); the encoding needs a vocabulary of at least 2; labels are decoded in the
 * logits' data type, so in FLOAT the old log-prob carries about 1e-7 relative error.
 *
 * <p>Trap avoided (DL4J-NOTES section 8): the per-example score is multiplied by {@code onesLike}, since a graph
 * ending in a bare reduction fails in M2.1 backprop. Networks using it need workspace mode {@code NONE}.
 */
public final class GrpoMaSameDiffLoss extends SameDiffLoss {
    @JsonProperty("epsLow")
    private final double epsLow;
    @JsonProperty("epsHigh")
    private final double epsHigh;

    /** The default clip range 0.2 / 0.2. */
    public GrpoMaSameDiffLoss() {
        this(LossConfig.DEFAULT_EPS_LOW, LossConfig.DEFAULT_EPS_HIGH);
    }

    /**
     * @param epsLow  lower clip range in (0, 1), as {@link LossConfig#epsLow()}
     * @param epsHigh upper clip range &gt; 0, as {@link LossConfig#epsHigh()}
     */
    public GrpoMaSameDiffLoss(@JsonProperty("epsLow") double epsLow, @JsonProperty("epsHigh") double epsHigh) {
        // LossConfig validates the clip range with messages naming the field
        LossConfig.builder().epsLow(epsLow).epsHigh(epsHigh).build();
        this.epsLow = epsLow;
        this.epsHigh = epsHigh;
    }

    /**
     * The loss of a {@link LossConfig}.
     *
     * @throws IllegalArgumentException when {@code beta > 0} (this loss has no reference-model KL term), or for the
     *                                  options only {@code GrpoMaTrainer} implements: an importance ratio other than
     *                                  {@code token}, {@code maskTruncatedCompletions}, {@code entropyTopFraction < 1}
     */
    public static GrpoMaSameDiffLoss of(LossConfig config) {
        if (config.usesReference()) {
            throw new IllegalArgumentException("LossConfig.beta = " + config.beta() + ": GrpoMaSameDiffLoss has no KL penalty"
                    + " to a reference model; use beta = 0 (the default) in a DL4J pipeline");
        }
        if (!config.importanceRatio().equals(LossConfig.DEFAULT_IMPORTANCE_RATIO) || config.maskTruncatedCompletions()
                || config.entropyTopFraction() < 1) {
            throw new IllegalArgumentException("LossConfig.importanceRatio = " + config.importanceRatio()
                    + ", maskTruncatedCompletions = " + config.maskTruncatedCompletions() + ", entropyTopFraction = "
                    + config.entropyTopFraction() + ": a DL4J pipeline supports only the token ratio, no truncation mask and"
                    + " no entropy selection; use the defaults (token, false, 1.0) or GrpoMaTrainer");
        }
        return new GrpoMaSameDiffLoss(config.epsLow(), config.epsHigh());
    }

    /** Lower clip range. */
    public double epsLow() {
        return epsLow;
    }

    /** Upper clip range. */
    public double epsHigh() {
        return epsHigh;
    }

    @Override
    public SDVariable defineLoss(SameDiff sd, SDVariable layerInput, SDVariable labels) {
        SDVariable logProbs = SafeOps.stableLogSoftmax(sd, "grpoma_log_softmax", layerInput, 1);   // [N,V]
        // decode the labels (no gradient flows into them); reductions stay over V, never over a size-1 dimension
        SDVariable target = labels.gt(labels.min(true, 1)).castTo(layerInput.dataType());            // [N,V] one-hot or 0
        SDVariable mask = target.sum(1);                                                             // [N]
        SDVariable coefficient = labels.max(1).mul(mask);                                            // [N]
        SDVariable old = labels.min(1).add(1.0).add(sd.math.abs(labels.max(1))).mul(mask);          // [N]
        SDVariable tokenLogp = logProbs.mul(target).sum(1);                                         // [N]
        SDVariable ratio = sd.math.exp(tokenLogp.sub(old).mul(mask));
        SDVariable s1 = ratio.mul(coefficient);
        SDVariable s2 = sd.clipByValue(ratio, 1.0 - epsLow, 1.0 + epsHigh).mul(coefficient);
        SDVariable score = SafeOps.min(sd, "grpoma_surrogate", s1, s2).neg();                        // [N]
        return score.mul(sd.onesLike(score));
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        GrpoMaLabels.checkLayout(labels, mask);
        return super.computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        GrpoMaLabels.checkLayout(labels, mask);
        return super.computeGradient(labels, preOutput, activationFn, mask);
    }

    @Override
    public String toString() {
        return "GrpoMaSameDiffLoss(epsLow=" + epsLow + ", epsHigh=" + epsHigh + ")";
    }
}
