package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code "token"} (PPO, GRPO; the default): one ratio per token, {@code r[b,t] = pi_theta(y_t) / pi_old(y_t)},
 * clipped per token.
 */
public final class TokenRatio implements ImportanceRatio {
    /** The registry name. */
    public static final String NAME = "token";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable logRatio(RatioContext c) {
        return c.tokenLogRatio();
    }
}
