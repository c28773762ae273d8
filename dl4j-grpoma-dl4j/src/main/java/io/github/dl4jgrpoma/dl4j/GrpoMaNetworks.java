package io.github.dl4jgrpoma.dl4j;

import io.github.dl4jgrpoma.loss.LossConfig;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/** Turns an existing recurrent token model into a GRPO-MA policy without touching its weights. */
public final class GrpoMaNetworks {
    private GrpoMaNetworks() {
    }

    /**
     * Switches the network's {@code RnnOutputLayer} to {@link GrpoMaSameDiffLoss} with IDENTITY activation, in place.
     * The weights are kept: a SOFTMAX + MCXENT character model's pre-activations are already next-token logits, so
     * a model warmed up with plain {@code net.fit} on traces continues as the RL policy.
     *
     * @param vocabSize the tokenizer's vocabulary size (checked against the network)
     * @throws IllegalArgumentException for a network that is not a recurrent token model of that vocabulary, or a
     *                                  loss config with beta &gt; 0
     */
    public static MultiLayerNetwork useGrpoMaLoss(MultiLayerNetwork net, int vocabSize, LossConfig config) {
        NetworkChecks.requireRecurrentPolicy(net, vocabSize);
        RnnOutputLayer out = (RnnOutputLayer) net.getLayer(net.getnLayers() - 1).conf().getLayer();
        out.setLossFn(GrpoMaSameDiffLoss.of(config));
        out.setActivationFn(new ActivationIdentity());
        return net;
    }
}
