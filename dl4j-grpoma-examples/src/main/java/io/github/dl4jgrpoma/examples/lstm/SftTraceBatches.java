package io.github.dl4jgrpoma.examples.lstm;

import io.github.dl4jgrpoma.data.Seeds;
import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.dl4j.SftDataSets;
import io.github.dl4jgrpoma.examples.math.MathTraces;
import io.github.dl4jgrpoma.examples.math.ThoughtStyle;
import io.github.dl4jgrpoma.policy.Tokenizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The SFT minibatches of an lstm run: {@code sftSteps} batches of {@code sftBatch} math traces (20 % with a mistake
 * by default, {@link MathTraces}). Batch {@code i} is drawn from {@code Seeds.mix(seed, i, 3)}, so each batch is a
 * function of the seed and its index (the same on every iteration). Each batch is only as long as its longest
 * trace (DL4J takes any sequence length per minibatch): an LSTM computes every padded step, and the padding to the
 * OOD length would be about a third of the work.
 */
final class SftTraceBatches implements Iterable<DataSet> {
    private final LstmSettings settings;
    private final Tokenizer tokenizer;
    private final MathTraces traces;
    private volatile double lastTokens = Double.NaN;

    SftTraceBatches(LstmSettings settings, Tokenizer tokenizer) {
        this.settings = settings;
        this.tokenizer = tokenizer;
        this.traces = new MathTraces(settings.task(), tokenizer, settings.mistakeRate(), ThoughtStyle.FULL);
    }

    /** Batch {@code index} (0-based). */
    DataSet batch(long index) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(settings.seed(), index, 3));
        List<SftExample> batch = new ArrayList<>(settings.sftBatch());
        int longest = 1;
        for (int i = 0; i < settings.sftBatch(); i++) {
            SftExample e = traces.sample(rng);
            batch.add(e);
            longest = Math.max(longest, e.length() - 1);
        }
        DataSet ds = SftDataSets.toDataSet(batch, tokenizer.vocabSize(), longest, DataType.FLOAT);
        lastTokens = ds.getLabelsMaskArray().sumNumber().doubleValue();
        return ds;
    }

    /** Target tokens (label-mask ones) of the batch handed out last; NaN before the first. */
    double lastTokens() {
        return lastTokens;
    }

    /** Batches {@code first .. sftSteps - 1}, in order (a resumed run starts at its step). */
    Iterable<DataSet> from(long first) {
        return () -> new Iterator<>() {
            private long next = first;

            @Override
            public boolean hasNext() {
                return next < settings.sftSteps();
            }

            @Override
            public DataSet next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("all " + settings.sftSteps() + " SFT batches were handed out");
                }
                return batch(next++);
            }
        };
    }

    @Override
    public Iterator<DataSet> iterator() {
        return from(0).iterator();
    }
}
