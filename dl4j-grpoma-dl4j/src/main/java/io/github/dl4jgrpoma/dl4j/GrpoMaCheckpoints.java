package io.github.dl4jgrpoma.dl4j;

import java.io.File;
import java.io.IOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.listeners.CheckpointListener;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saving and resuming GRPO-MA runs of a {@link MultiLayerNetwork} through DL4J's own {@link ModelSerializer}
 * (weights, configuration with the {@link GrpoMaSameDiffLoss}, updater state and iteration count). The iterator's
 * position is the network's iteration count ({@link GrpoMaDataSetIterator#resumeAt}) when only GRPO-MA trained the
 * network; after SFT on the same network the count includes the SFT iterations, so save the RL step count as well.
 *
 * <p>DL4J trap (measured here): {@link CheckpointListener} saves inside {@code iterationDone}, before DL4J
 * increments the iteration count, so its checkpoint of update {@code n} records count {@code n - 1}. Resuming
 * from it as is would repeat Adam's bias-correction step and sample step {@code n - 1} again;
 * {@link #loadLastCheckpointListenerModel} corrects the count.
 */
public final class GrpoMaCheckpoints {
    private GrpoMaCheckpoints() {
    }

    /** Writes the network with its updater state (call after {@code fit}; the count is then exact). */
    public static void save(MultiLayerNetwork net, File file) throws IOException {
        ModelSerializer.writeModel(net, file, true);
    }

    /** Restores a network written by {@link #save}, with its updater state. */
    public static MultiLayerNetwork load(File file) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(file, true);
    }

    /**
     * The newest checkpoint of a DL4J {@link CheckpointListener} directory, with the iteration count set to the
     * number of updates it holds.
     *
     * @throws IllegalStateException from DL4J when the directory holds no checkpoint
     */
    public static MultiLayerNetwork loadLastCheckpointListenerModel(File directory) {
        MultiLayerNetwork net = CheckpointListener.loadLastCheckpointMLN(directory);
        net.setIterationCount(net.getIterationCount() + 1);
        return net;
    }
}
