package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code "token-mean"} (DAPO): one mean over all loss-carrying tokens of the batch, so long responses weigh
 * more than short ones:
 * <pre>
 *   L = - sum_{b,t} (w_th th[b,t] + ans[b,t]) o[b,t] / max(1, sum_{b,t} (th[b,t] + ans[b,t]))
 * </pre>
 * The denominator counts tokens without the thought weight, so {@code w_th} scales the thought tokens'
 * share of the gradient only.
 */
public final class TokenMeanAggregation implements LossAggregation {
    /** The registry name. */
    public static final String NAME = "token-mean";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable aggregate(AggregationContext c) {
        return meanOverLossTokens(c).neg();
    }

    /** {@code sum (w_th th + ans) o / max(1, sum (th + ans))}, the objective's mean over the fed loss tokens. */
    static SDVariable meanOverLossTokens(AggregationContext c) {
        SDVariable tokens = c.thoughtMask().add(c.answerMask()).sum();
        return c.weightedTokenSum().div(c.atLeastOne(tokens));
    }
}
