package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * {@code "sequence-token"}: GSPO-token (Zheng et al., arXiv 2507.18071, eq. 13), the token-level form of
 * {@link SequenceRatio}:
 * <pre>
 *   r[b,t] = sg[s_seq(b,t)] * pi_theta(y_t) / sg[pi_theta(y_t)]
 *   log r  = sg[log s_seq] + (logp - old) - sg[logp - old]
 * </pre>
 * where {@code s_seq} is the thought or answer sequence ratio of {@link SequenceRatio} and {@code sg} stops the
 * gradient (ND4J's {@code StopGradient} op, whose gradient is 0). The value is the sequence ratio (so clipping acts
 * per sequence); the gradient of token {@code t} is {@code s_seq grad logp_t}, so per-token advantages stay
 * meaningful. When all tokens of a sequence share one advantage (GRPO-MA packing) it gives the same loss and
 * gradient as {@code "sequence"}. Its gradient is by design not the derivative of its value, so a finite-difference
 * check does not apply; the tests compare it with the closed form above.
 */
public final class SequenceTokenRatio implements ImportanceRatio {
    /** The registry name. */
    public static final String NAME = "sequence-token";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SDVariable logRatio(RatioContext c) {
        SDVariable seq = SequenceRatio.sequenceLogRatio(c);
        SDVariable tok = c.tokenLogRatio();
        return stop(c, seq).add(tok).sub(stop(c, tok));
    }

    private static SDVariable stop(RatioContext c, SDVariable x) {
        return new StopGradient(c.sd(), x).outputVariable().rename(c.uniqueName("stop_gradient"));
    }
}
