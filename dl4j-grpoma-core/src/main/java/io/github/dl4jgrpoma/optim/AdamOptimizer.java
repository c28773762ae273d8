package io.github.dl4jgrpoma.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam with global-norm gradient clipping and optional decoupled weight decay, applied in place to the
 * parameter arrays of a graph (ND4J's own {@link Adam} updater does the moment arithmetic).
 *
 * <p>One step, for gradients {@code g_p} of parameters {@code theta_p}:
 * <pre>
 *   n = sqrt(sum_p ||g_p||^2)                                   (reported as the gradient norm)
 *   g_p <- g_p * min(1, maxGradNorm / n)                          (skipped when maxGradNorm = 0)
 *   theta_p <- theta_p - lr * wd * theta_p                        (AdamW, only when wd > 0)
 *   lr = the scheduled rate of this step ({@link OptimizerConfig#learningRateAt(long)})
 *   theta_p <- theta_p - Adam(g_p)                                 (bias-corrected moments)
 * </pre>
 * A non-finite gradient is refused before anything is changed: the parameters and the optimiser state
 * stay as they were, and the error names the parameter.
 *
 * <p>The state (first and second moments per parameter, and the step counter) can be exported and
 * restored for checkpoints, so a resumed run continues bit for bit.
 */
public final class AdamOptimizer {
    private final OptimizerConfig config;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> stateViews = new LinkedHashMap<>();
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    private final Adam adam;      // shared by the updaters: its learning rate is set to the schedule's before each step
    private int iteration;

    /**
     * @param config optimiser settings
     * @param params the parameter arrays to update in place, by name (iteration order is kept)
     */
    public AdamOptimizer(OptimizerConfig config, Map<String, INDArray> params) {
        if (config == null || params == null || params.isEmpty()) {
            throw new IllegalArgumentException("AdamOptimizer needs a config and at least one parameter");
        }
        this.config = config;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.adam = new Adam(config.learningRate(), config.beta1(), config.beta2(), config.epsilon());
        for (Map.Entry<String, INDArray> e : this.params.entrySet()) {
            INDArray p = e.getValue();
            INDArray view = Nd4j.zeros(p.dataType(), 1, adam.stateSize(p.length()));
            stateViews.put(e.getKey(), view);
            GradientUpdater<?> u = adam.instantiate(view, true);
            u.setStateViewArray(view, p.shape(), p.ordering(), true);
            updaters.put(e.getKey(), u);
        }
    }

    /** The settings. */
    public OptimizerConfig config() {
        return config;
    }

    /** Number of updates applied so far. */
    public int iteration() {
        return iteration;
    }

    /**
     * Clips and applies one update. The gradient arrays are overwritten (they become the updates).
     *
     * @param grads a gradient for every parameter, same shapes
     * @return the global L2 norm of the gradient before clipping
     * @throws IllegalArgumentException if a gradient is missing or has the wrong shape
     * @throws IllegalStateException    if a gradient holds NaN or infinity (nothing is updated then)
     */
    public double step(Map<String, INDArray> grads) {
        double sumSq = 0;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray g = grads.get(e.getKey());
            if (g == null) {
                throw new IllegalArgumentException("AdamOptimizer.step: no gradient for parameter '" + e.getKey()
                        + "'; is it connected to the loss?");
            }
            if (!Arrays.equals(g.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("AdamOptimizer.step: gradient of '" + e.getKey() + "' has shape "
                        + Arrays.toString(g.shape()) + ", parameter has "
                        + Arrays.toString(e.getValue().shape()));
            }
            double n = g.norm2Number().doubleValue();
            if (!Double.isFinite(n)) {
                throw new IllegalStateException("AdamOptimizer.step " + (iteration + 1) + ": gradient of '"
                        + e.getKey() + "' is not finite (norm " + n + "); the update was skipped and no parameter "
                        + "changed. Lower the learning rate or check rewards and inputs for NaN.");
            }
            sumSq += n * n;
        }
        double norm = Math.sqrt(sumSq);
        double scale = config.maxGradNorm() > 0 && norm > config.maxGradNorm() ? config.maxGradNorm() / norm : 1.0;
        double lr = config.learningRateAt(iteration);
        adam.setLearningRate(lr);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray g = grads.get(e.getKey());
            INDArray p = e.getValue();
            if (scale != 1.0) {
                g.muli(scale);
            }
            if (config.weightDecay() > 0) {
                p.subi(p.mul(lr * config.weightDecay()));
            }
            updaters.get(e.getKey()).applyUpdater(g, iteration, 0);
            if (lr > 0) {                  // ND4J's native Adam moves parameters by ~1e-8 even at rate 0
                p.subi(g);
            }
        }
        iteration++;
        return norm;
    }

    /** A copy of the optimiser state: one flat array of Adam moments per parameter. */
    public Map<String, INDArray> exportState() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        stateViews.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    /**
     * Restores a state written by {@link #exportState()} and the step counter.
     *
     * @throws IllegalArgumentException if a parameter's state is missing or has another length
     */
    public void importState(Map<String, INDArray> state, int iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("AdamOptimizer.importState: iterations must be >= 0, got " + iterations);
        }
        for (Map.Entry<String, INDArray> e : stateViews.entrySet()) {
            INDArray s = state.get(e.getKey());
            if (s == null || s.length() != e.getValue().length()) {
                throw new IllegalArgumentException("AdamOptimizer.importState: state of '" + e.getKey() + "' is "
                        + (s == null ? "missing" : "of length " + s.length() + ", expected " + e.getValue().length())
                        + "; the checkpoint belongs to another model configuration");
            }
        }
        stateViews.forEach((k, v) -> v.assign(state.get(k).reshape(v.shape()).castTo(v.dataType())));
        this.iteration = iterations;
    }
}
