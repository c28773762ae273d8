package io.github.dl4jgrpoma.algo;

/**
 * How a trainer's batch packer assigns advantages to the tokens of a rollout tree. Each
 * {@link AdvantageEstimator} declares its own ({@link AdvantageEstimator#packing()}); a run may override it.
 */
public enum PackingMode {
    /**
     * GRPO-MA (decoupled, GRPO-MA.md section 3 step 7): the sampled thought tokens of thought {@code i} carry
     * {@code A_th_i} in the thought mask of exactly one row (the row of answer 0), so each thought enters the
     * loss once; the answer tokens of answer {@code j} carry {@code A_ans_ij} in the answer mask of its row.
     */
    DECOUPLED,
    /**
     * Plain GRPO (coupled, GRPO-MA.md section 2); needs {@code M = 1}: the whole response (thought and answer)
     * is one sequence in the answer mask with the single advantage {@code A_ans_i1}, so the sequence-mean
     * loss is GRPO's per-response token mean.
     */
    COUPLED,
    /** What the advantage estimator declares ({@link AdvantageEstimator#packing()}; the default). */
    AUTO;

    /** The concrete mode for an estimator (AUTO resolved to the estimator's own packing). */
    public PackingMode resolve(AdvantageEstimator estimator) {
        if (this != AUTO) {
            return this;
        }
        PackingMode own = estimator.packing();
        if (own == null || own == AUTO) {
            throw new IllegalStateException("estimator " + estimator.name() + " declares packing " + own
                    + "; an estimator must declare DECOUPLED or COUPLED");
        }
        return own;
    }
}
