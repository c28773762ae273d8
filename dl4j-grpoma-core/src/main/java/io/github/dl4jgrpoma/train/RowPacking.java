package io.github.dl4jgrpoma.train;

import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.loss.ConstantAggregation;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.SequenceMeanAggregation;
import io.github.dl4jgrpoma.loss.TokenMeanAggregation;
import io.github.dl4jgrpoma.policy.PolicyModel;

/**
 * How {@link BatchPacker} lays the sequences of a rollout tree out in rows. The loss and its gradient are the same
 * either way (up to float rounding); only the work differs. Our choice, not the paper's (it publishes no code).
 */
public enum RowPacking {
    /**
     * One row per answer: {@code prompt + thought + answer}, so each thought token is forwarded M times in the update
     * and in the reference forward. Works with every policy and loss.
     */
    PER_ANSWER,
    /**
     * One row per thought: {@code prompt + thought} then its M answers, with a tree attention mask (an answer token
     * sees the prompt, its thought and the earlier tokens of its own answer, not its siblings) and position ids (each
     * answer continues from the end of its thought), so each thought token is forwarded once. Needs a policy with
     * {@link PolicyModel#supportsPackedRows()}, decoupled (GRPO-MA) packing and a loss that does not depend on the
     * row layout ({@code sequence-mean} with sequence weights, {@code token-mean}, {@code constant} with a fixed
     * normaliser).
     */
    TREE,
    /** {@link #TREE} when it is possible and M &gt; 1, else {@link #PER_ANSWER} (the default). */
    AUTO;

    /**
     * The concrete layout of a run.
     *
     * @throws IllegalArgumentException if {@code TREE} is asked for but not possible, naming why and the fix
     */
    public RowPacking resolve(PolicyModel policy, PackingMode packing, int answersPerThought, LossConfig loss) {
        String why = treeUnavailable(policy, packing, loss);
        if (this == TREE && why != null) {
            throw new IllegalArgumentException("rowPacking = TREE is not possible: " + why + "; use PER_ANSWER or AUTO");
        }
        if (this == AUTO) {
            return why == null && answersPerThought > 1 ? TREE : PER_ANSWER;
        }
        return this;
    }

    private static String treeUnavailable(PolicyModel policy, PackingMode packing, LossConfig loss) {
        if (!policy.supportsPackedRows()) {
            return "the policy does not read position ids and attention masks (supportsPackedRows() is false)";
        }
        if (packing != PackingMode.DECOUPLED) {
            return "packing is " + packing + " (tree rows hold decoupled GRPO-MA thoughts and answers)";
        }
        if (!loss.importanceRatio().equals(io.github.dl4jgrpoma.loss.TokenRatio.NAME)) {
            return "the importance ratio '" + loss.importanceRatio() + "' takes one ratio per row's thought and answer"
                    + " (a tree row holds M answers)";
        }
        if (loss.maskTruncatedCompletions() || loss.entropyTopFraction() < 1) {
            return "mask-truncated completions and entropy-guided token selection rebuild one-row-per-answer batches";
        }
        String a = loss.aggregation();
        boolean layoutFree = a.equals(SequenceMeanAggregation.NAME) || a.equals(TokenMeanAggregation.NAME)
                || a.equals(ConstantAggregation.NAME) && loss.constantNormalizer() > 0;
        if (!layoutFree) {
            return "the loss aggregation '" + a + "'" + (a.equals(ConstantAggregation.NAME)
                    ? " with the automatic normaliser (rows x T) depends on the row layout" : " is not known to be layout-free");
        }
        return null;
    }
}
