package io.github.dl4jgrpoma.dl4j;

import java.util.NoSuchElementException;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/**
 * The {@link MultiDataSetIterator} form of a {@link GrpoMaDataSetIterator} built on a {@code ComputationGraph}, for
 * pipelines that feed graphs with {@code graph.fit(MultiDataSetIterator, epochs)}: each {@link #next()} is the
 * wrapped iterator's GRPO-MA batch as a single-input, single-output {@link MultiDataSet} (features {@code [R, V, T]},
 * {@link GrpoMaLabels} labels {@code [R, V, T]}, both masks {@code [R, T]}). Sampling, seeding, inner epochs,
 * {@code resumeAt} and stop requests are the wrapped iterator's ({@link #rollouts()}); like it, no asynchronous
 * prefetch (each batch must come from the latest weights).
 */
public final class GrpoMaMultiDataSetIterator implements MultiDataSetIterator {
    private static final long serialVersionUID = 1L;
    private final transient GrpoMaDataSetIterator rollouts;
    private transient MultiDataSetPreProcessor preProcessor;

    /** @param rollouts a GRPO-MA iterator over a {@code ComputationGraph} (one input, one output) */
    public GrpoMaMultiDataSetIterator(GrpoMaDataSetIterator rollouts) {
        if (rollouts == null) {
            throw new IllegalArgumentException("rollouts is null; build a GrpoMaDataSetIterator on the ComputationGraph first");
        }
        this.rollouts = rollouts;
    }

    /** The wrapped iterator (metrics, {@code resumeAt}, {@code requestStop}; give it to a {@link GrpoMaListenerBridge}). */
    public GrpoMaDataSetIterator rollouts() {
        return rollouts;
    }

    @Override
    public boolean hasNext() {
        return rollouts.hasNext();
    }

    @Override
    public MultiDataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch finished; call reset()");
        }
        DataSet ds = rollouts.next();
        MultiDataSet m = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {ds.getFeatures()},
                new INDArray[] {ds.getLabels()}, new INDArray[] {ds.getFeaturesMaskArray()},
                new INDArray[] {ds.getLabelsMaskArray()});
        if (preProcessor != null) {
            preProcessor.preProcess(m);
        }
        return m;
    }

    @Override
    public MultiDataSet next(int num) {
        return next();
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        rollouts.reset();
    }
}
