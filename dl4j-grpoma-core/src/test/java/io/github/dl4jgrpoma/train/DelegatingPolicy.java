package io.github.dl4jgrpoma.train;

import java.util.List;
import java.util.Map;

import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.rollout.IncrementalDecoder;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * A plain {@link PolicyModel} in front of a {@link TransformerPolicy}: its graph, feed and decoder, but not its
 * {@code logitsBackprop()} (the interface's default, empty) unless a subclass offers one.
 */
class DelegatingPolicy implements PolicyModel {
    final TransformerPolicy inner;

    DelegatingPolicy(TransformerPolicy inner) {
        this.inner = inner;
    }

    @Override
    public SameDiff sameDiff() {
        return inner.sameDiff();
    }

    @Override
    public String tokensPlaceholder() {
        return inner.tokensPlaceholder();
    }

    @Override
    public String logitsName() {
        return inner.logitsName();
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public int maxLength() {
        return inner.maxLength();
    }

    @Override
    public DataType dataType() {
        return inner.dataType();
    }

    @Override
    public List<String> trainableVariables() {
        return inner.trainableVariables();
    }

    @Override
    public boolean supportsPackedRows() {
        return inner.supportsPackedRows();
    }

    @Override
    public Map<String, INDArray> feed(PolicyInput in) {
        return inner.feed(in);
    }

    @Override
    public IncrementalDecoder decoder() {
        return inner.decoder();
    }
}
