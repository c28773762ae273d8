package io.github.dl4jgrpoma.loss;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A named way to turn the per-token objectives {@code o[b,t]} into the scalar loss (a quantity to
 * minimise, i.e. the negated aggregated objective). Registered by name in an {@link AggregationRegistry}
 * and selected by {@link LossConfig#aggregation()}.
 *
 * <p>Contract for implementations: use only the masks and objectives of the {@link AggregationContext};
 * masked positions ({@code thought = answer = 0}) must contribute nothing; every division must be guarded
 * so that a fully masked row or batch gives a finite loss and a finite gradient (see
 * {@link AggregationContext#atLeastOne}); use only ops with correct M2.1 gradients
 * ({@code io.github.dl4jgrpoma.graph.SafeOps}, never {@code sd.math.min/max}). Pure graph construction:
 * no IO, no randomness.
 */
public interface LossAggregation {

    /** The registry key, for example {@code "sequence-mean"}. */
    String name();

    /**
     * Builds the scalar loss from the context.
     *
     * @return a scalar variable (shape {@code []}) of the objectives' data type
     */
    SDVariable aggregate(AggregationContext context);
}
