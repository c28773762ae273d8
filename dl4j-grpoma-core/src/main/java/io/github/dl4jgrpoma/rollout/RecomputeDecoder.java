package io.github.dl4jgrpoma.rollout;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * Decoder for any {@link PolicyModel}: after every appended token it runs the model's full forward pass
 * ({@link PolicyModel#forward(io.github.dl4jgrpoma.policy.PolicyInput)}) on each active row's whole sequence,
 * right-padded to {@code T}, with the row's conditioning arrays, and reads the
 * logits at the row's last position. Correct for every causal model; each step costs a full {@code [rows, T]}
 * forward, so it is the slow fallback when no incremental decoder is available.
 */
public final class RecomputeDecoder extends PolicyDecoder {
    private final PolicyModel policy;

    public RecomputeDecoder(PolicyModel policy) {
        super(policy);
        this.policy = policy;
    }

    @Override
    protected DecodingState start(int[][] prefixes, Map<String, INDArray> conditioning) {
        return new RecomputeState(policy, prefixes, conditioning);
    }
}
