package io.github.dl4jgrpoma.transformer;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyInput;

/**
 * The hand-derived forward and backward pass of a text {@link TransformerPolicy} ({@link TransformerPass}), run in the
 * calling thread's {@link PassWorkspace} so that its arrays reuse memory from one pass to the next; the logits and
 * gradients it returns are detached copies. The weights come with each call, so one instance serves the policy and its
 * frozen reference copy.
 */
final class TransformerBackprop implements LogitsBackprop {
    private static final String WORKSPACE = "dl4jgrpoma-transformer-pass";

    private final TransformerConfig config;

    TransformerBackprop(TransformerConfig config) {
        this.config = config;
    }

    @Override
    public INDArray logits(PolicyInput input, Map<String, INDArray> weights) {
        TransformerWeights w = weights(input, weights);
        try (MemoryWorkspace ws = PassWorkspace.open(WORKSPACE)) {
            return new TransformerPass(w, input, false).logits().detach();
        }
    }

    @Override
    public Map<String, INDArray> gradients(PolicyInput input, Map<String, INDArray> weights,
                                           UnaryOperator<INDArray> logitsGradient) {
        TransformerWeights w = weights(input, weights);
        try (MemoryWorkspace ws = PassWorkspace.open(WORKSPACE)) {
            TransformerPass pass = new TransformerPass(w, input, true);
            INDArray logits = pass.logits().detach();
            INDArray grad;
            try (MemoryWorkspace out = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                grad = logitsGradient.apply(logits);
            }
            if (grad == null || !Arrays.equals(grad.shape(), logits.shape())) {
                throw new IllegalArgumentException("the logits gradient has shape " + (grad == null ? "null"
                        : Arrays.toString(grad.shape())) + " but the logits are " + Arrays.toString(logits.shape()));
            }
            Map<String, INDArray> out = new LinkedHashMap<>();
            pass.backward(grad).forEach((name, g) -> out.put(name, g.detach()));
            return out;
        }
    }

    private TransformerWeights weights(PolicyInput input, Map<String, INDArray> weights) {
        if (!input.conditioning().isEmpty()) {
            throw new IllegalArgumentException("this transformer reads no conditioning, but the input carries "
                    + input.conditioning().keySet() + "; pass token ids only");
        }
        return new TransformerWeights(config, weights);
    }
}
