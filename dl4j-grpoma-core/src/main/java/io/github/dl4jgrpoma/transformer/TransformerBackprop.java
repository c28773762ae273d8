package io.github.dl4jgrpoma.transformer;

import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.BackpropPass;
import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * The hand-derived forward and backward pass of a text {@link TransformerPolicy} ({@link TransformerPass}); the
 * weights come with each pass, so one instance serves the policy and its frozen reference copy.
 */
final class TransformerBackprop implements LogitsBackprop {
    private final TransformerConfig config;

    TransformerBackprop(TransformerConfig config) {
        this.config = config;
    }

    @Override
    public BackpropPass forward(PolicyInput input, Map<String, INDArray> weights, boolean keepActivations) {
        if (!input.conditioning().isEmpty()) {
            throw new IllegalArgumentException("this transformer reads no conditioning, but the input carries "
                    + input.conditioning().keySet() + "; pass token ids only");
        }
        return new TransformerPass(new TransformerWeights(config, weights), input, keepActivations);
    }
}
