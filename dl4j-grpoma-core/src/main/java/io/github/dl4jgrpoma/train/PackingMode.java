package io.github.dl4jgrpoma.train;

/**
 * How {@link BatchPacker} assigns advantages to the tokens of a rollout tree.
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
    /** {@link #COUPLED} when the advantage estimator is {@code "grpo"}, otherwise {@link #DECOUPLED} (default). */
    AUTO;

    /** The concrete mode for an estimator name (AUTO resolved). */
    public PackingMode resolve(String estimatorName) {
        if (this != AUTO) {
            return this;
        }
        return "grpo".equals(estimatorName) ? COUPLED : DECOUPLED;
    }
}
