package io.github.dl4jgrpoma.dl4j;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Calls {@code System.gc()} after every {@code every}-th DL4J update, which releases the off-heap arrays of the
 * step. Networks trained with {@link GrpoMaSameDiffLoss} run with {@code WorkspaceMode.NONE} (DL4J-NOTES: the
 * default workspaces break its second {@code fit}), so every op of a forward, backward and rollout allocates fresh
 * off-heap buffers that only the Java GC frees; the small heap objects holding them rarely trigger a collection
 * on their own. Measured on {@code bin/grpoma lstm} (128-unit LSTM, 64 traces per update) without it: resident
 * memory climbed to 6.5-8.5 GB, after which JavaCPP's own forced collections stalled updates (one GRPO-MA update
 * took 85 s). The same remedy as core's {@code GrpoMaTrainer}, which collects once per step (our choice there too).
 */
public final class OffHeapGcListener extends BaseTrainingListener {
    private final int every;
    private long updates;

    /**
     * @param every collect after every {@code every} updates, {@code >= 1}
     * @throws IllegalArgumentException for {@code every < 1}
     */
    public OffHeapGcListener(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("OffHeapGcListener every = " + every + "; use 1 (every update) or more");
        }
        this.every = every;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        if (++updates % every == 0) {
            System.gc();
        }
    }
}
