package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.optim.AdamOptimizer;
import io.github.dl4jgrpoma.optim.OptimizerConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.graph.SameDiffMemory;
import io.github.dl4jgrpoma.policy.LogitsBackprop;
import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * The update step shared by the GRPO-MA and SFT trainers: one forward + backward pass of a named loss of the
 * policy graph ({@code sd.calculateGradientsAndOutputs}), then {@link AdamOptimizer#step} (global-norm clipping
 * included) on the policy's trainable arrays in place.
 *
 * <p>SameDiff minimises the <em>sum</em> of all variables marked as loss. When several trainers attached their
 * losses to one policy graph, this class makes its loss the only loss variable before each pass
 * ({@code sd.setLossVariables}, which also discards the old gradient function) and rebuilds the gradient
 * function with SameDiff's "Added differentiated op" console lines swallowed.
 */
final class GraphUpdater {
    private static final String GRAD_FN = "grad";

    private final PolicyModel policy;
    private final String loss;
    private final AdamOptimizer optimizer;

    GraphUpdater(PolicyModel policy, String loss, OptimizerConfig config) {
        this.policy = policy;
        this.loss = loss;
        this.optimizer = new AdamOptimizer(config, policy.parameters());
        selectLoss();
    }

    AdamOptimizer optimizer() {
        return optimizer;
    }

    /**
     * The outputs of one pass, the global gradient norm before clipping, and the wall time of the forward +
     * backward pass and of the optimiser step in nanoseconds.
     */
    record Result(Map<String, INDArray> outputs, double gradNorm, long forwardBackwardNanos, long optimizerNanos) {
    }

    /**
     * Computes the loss gradient and the requested outputs on the current parameters, then applies one Adam
     * step.
     */
    Result update(Map<String, INDArray> feed, List<String> outputs) {
        selectLoss();
        List<String> wanted = new ArrayList<>(outputs);
        if (!wanted.contains(loss)) {
            wanted.add(loss);
        }
        long t0 = System.nanoTime();
        OutAndGrad og = policy.sameDiff().calculateGradientsAndOutputs(feed, wanted, policy.trainableVariables());
        long t1 = System.nanoTime();
        double norm = optimizer.step(og.getGradients());
        SameDiffMemory.release(policy.sameDiff());
        return new Result(og.getOutputs(), norm, t1 - t0, System.nanoTime() - t1);
    }

    /** Scalar outputs of every chunk, the global gradient norm before clipping, and the wall times in nanoseconds. */
    record ChunkedResult(List<Map<String, Double>> outputs, double gradNorm, long forwardBackwardNanos,
                         long optimizerNanos) {
    }

    /**
     * One update from several feeds (chunks of a batch): the gradient is {@code sum_c weights[c] grad L_c},
     * summed in chunk order (so the result does not depend on which thread ran which chunk), then one Adam step.
     * With a pool the chunks run concurrently, one SameDiff session per thread; the arrays the graph holds
     * afterwards are released ({@link SameDiffMemory#release}). A chunk ends with {@code System.gc()} only when its
     * thread runs another chunk after it ({@link ChunkTasks#collectAfterEachTask}); otherwise the caller collects.
     *
     * @param outputs    names of scalar outputs to return per chunk
     * @param pool       executor for the chunks, or null to run them one after another on this thread
     * @param beforeStep sees the chunk outputs before the weights change
     */
    ChunkedResult update(List<Map<String, INDArray>> feeds, double[] weights, List<String> outputs, ExecutorService pool,
                         java.util.function.Consumer<List<Map<String, Double>>> beforeStep) {
        selectLoss();
        List<String> wanted = new ArrayList<>(outputs);
        if (!wanted.contains(loss)) {
            wanted.add(loss);
        }
        long t0 = System.nanoTime();
        boolean collectEach = ChunkTasks.collectAfterEachTask(pool, feeds.size());
        List<Callable<Chunk>> tasks = new ArrayList<>();
        for (int c = 0; c < feeds.size(); c++) {
            Map<String, INDArray> feed = feeds.get(c);
            double w = weights[c];
            tasks.add(() -> {
                OutAndGrad og = policy.sameDiff().calculateGradientsAndOutputs(feed, wanted, policy.trainableVariables());
                Map<String, INDArray> g = new LinkedHashMap<>();
                og.getGradients().forEach((k, v) -> g.put(k, v.mul(w)));
                Map<String, Double> o = new LinkedHashMap<>();
                for (String n : outputs) {
                    o.put(n, og.getOutputs().get(n).getDouble(0));
                }
                if (feeds.size() > 1) {
                    // free this chunk's arrays before the next chunk allocates its own (SameDiffMemory)
                    SameDiffMemory.releaseThisThread(policy.sameDiff());
                    if (collectEach) {
                        System.gc();
                    }
                }
                return new Chunk(g, o);
            });
        }
        try {
            return update(tasks, pool, beforeStep, t0);
        } finally {
            SameDiffMemory.release(policy.sameDiff());
        }
    }

    /**
     * One update from chunk tasks that each return their weighted gradients and scalar outputs (a model's own
     * backward pass, {@link ModelBackprop}): the gradients summed in task order, then one Adam step.
     *
     * @param pool       executor for the tasks, or null to run them one after another on this thread
     * @param beforeStep sees the chunk outputs before the weights change
     */
    ChunkedResult update(List<Callable<Chunk>> tasks, ExecutorService pool,
                         java.util.function.Consumer<List<Map<String, Double>>> beforeStep) {
        return update(tasks, pool, beforeStep, System.nanoTime());
    }

    private ChunkedResult update(List<Callable<Chunk>> tasks, ExecutorService pool,
                                 java.util.function.Consumer<List<Map<String, Double>>> beforeStep, long t0) {
        List<Chunk> done = ChunkTasks.run(pool, tasks, "the forward + backward pass");
        Map<String, INDArray> sum = done.get(0).grads();
        for (int c = 1; c < done.size(); c++) {
            Map<String, INDArray> g = done.get(c).grads();
            sum.forEach((k, v) -> v.addi(g.get(k)));
            free(g);
        }
        long t1 = System.nanoTime();
        List<Map<String, Double>> chunkOutputs = done.stream().map(Chunk::outputs).toList();
        beforeStep.accept(chunkOutputs);
        double norm;
        try {
            norm = optimizer.step(sum);
        } finally {
            free(sum);                         // also when the step refuses a non-finite gradient
        }
        return new ChunkedResult(chunkOutputs, norm, t1 - t0, System.nanoTime() - t1);
    }

    /**
     * Frees a chunk's gradient arrays now ({@link LogitsBackprop#gradients} returns them to the caller) instead of at
     * the trainer's next collection, which runs every few steps with the model's own pass: at d=256 each chunk's
     * gradients are 12.6 MB, several chunks per step. Views (which own no memory) are left alone.
     */
    private static void free(Map<String, INDArray> grads) {
        for (INDArray g : grads.values()) {
            if (g.closeable()) {
                g.close();
            }
        }
    }

    /** A chunk's gradients (already multiplied by its weight) and scalar outputs. */
    record Chunk(Map<String, INDArray> grads, Map<String, Double> outputs) {
    }

    /** Makes {@link #loss} the graph's only loss variable and ensures the gradient function exists. */
    void selectLoss() {
        SameDiff sd = policy.sameDiff();
        if (!sd.getLossVariables().equals(List.of(loss))) {
            sd.setLossVariables(loss);
        }
        if (sd.getFunction(GRAD_FN) == null) {
            io.github.dl4jgrpoma.graph.GradFunctions.createQuietly(sd);
        }
    }
}
