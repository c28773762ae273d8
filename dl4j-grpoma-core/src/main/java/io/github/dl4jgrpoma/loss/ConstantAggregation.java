package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code "constant"} (Dr. GRPO): a sum over loss-carrying tokens divided by a constant, removing the
 * length bias of per-sequence means:
 * <pre>
 *   L = - sum_{b,t} (w_th th[b,t] + ans[b,t]) o[b,t] / C
 * </pre>
 * How {@code C} is chosen ({@link LossConfig#constantNormalizer()}): a positive config value is used as
 * is; the default 0 means {@code C = max(1, B x T)}, the number of positions of the batch fed (the mask
 * placeholders' size), which matches TRL's {@code batch x max_completion_length} when T is the padded
 * response length. Note that the automatic {@code C} changes with the batch shape; set a fixed value (for
 * example rows per step x max response tokens) for a normaliser that is constant across steps.
 */
public final class ConstantAggregation implements LossAggregation {
    /** The registry name. */
    public static final String NAME = "constant";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable aggregate(AggregationContext c) {
        SDVariable sum = c.weightedTokenSum();
        double configured = c.config().constantNormalizer();
        SDVariable normalizer = configured > 0
                ? c.scalar(configured)
                : c.atLeastOne(c.sd().onesLike(c.thoughtMask()).sum());
        return sum.div(normalizer).neg();
    }
}
