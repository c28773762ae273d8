package io.github.dl4jgrpoma.rollout;

import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.TransformerPolicy;

/** Picks the fastest available {@link IncrementalDecoder} for a policy. */
public final class Decoders {
    private Decoders() {
    }

    /**
     * A {@link KvCacheDecoder} for the built-in {@link TransformerPolicy}, otherwise a {@link RecomputeDecoder}
     * (correct for any causal {@link PolicyModel}, but it recomputes the whole sequence each step).
     */
    public static IncrementalDecoder forPolicy(PolicyModel policy) {
        if (policy instanceof TransformerPolicy t) {
            return new KvCacheDecoder(t);
        }
        return new RecomputeDecoder(policy);
    }
}
