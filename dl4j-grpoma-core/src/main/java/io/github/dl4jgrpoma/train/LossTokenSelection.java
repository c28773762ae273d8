package io.github.dl4jgrpoma.train;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.IntStream;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.RolloutBatch;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * Which packed tokens keep their loss: the two optional filters of {@link io.github.dl4jgrpoma.loss.LossConfig}, as
 * pure functions on a {@link PackedBatch} (they only clear mask entries, so the cleared tokens also leave every
 * normaliser of the aggregation). No IO, no randomness.
 *
 * <ul>
 *   <li>{@link #maskTruncated}: TRL's {@code mask_truncated_completions} (DAPO's overlong filtering) applied to each
 *       GRPO-MA sequence: a truncated thought loses its thought tokens, a truncated answer its answer tokens; in
 *       COUPLED packing (plain GRPO, the whole response one sequence) a response loses all its tokens when its thought
 *       or its answer was truncated. Our choice for GRPO-MA: the answers of a truncated thought keep their loss (they
 *       are complete answers, and their advantages are measured against the other answers of the prompt).</li>
 *   <li>{@link #topEntropy}: the highest-entropy fraction of the loss tokens (Wang et al., arXiv 2506.01939, 2025).
 *       Exactly {@code ceil(rho N)} of the {@code N} loss tokens of the batch keep their loss; ties in entropy are
 *       broken by position (earlier row, then earlier position), so the selection is deterministic.</li>
 * </ul>
 */
final class LossTokenSelection {
    private LossTokenSelection() {
    }

    /**
     * Clears the masks of truncated sequences.
     *
     * @param packed  the packed kept prompts of {@code batch}
     * @param batch   the rollouts the rows come from ({@link PackedBatch#rowPrompt()} indexes its prompts)
     * @param mode    the packing used (DECOUPLED or COUPLED)
     * @param metrics receives {@code masked_truncated/tokens} (loss tokens cleared) and {@code masked_truncated/frac}
     *                (their share of the loss tokens)
     */
    static PackedBatch maskTruncated(PackedBatch packed, RolloutBatch batch, PackingMode mode, Map<String, Double> metrics) {
        double[][] th = packed.thoughtMask().toDoubleMatrix();
        double[][] ans = packed.answerMask().toDoubleMatrix();
        int[] prompt = packed.rowPrompt();
        int[] thought = packed.rowThought();
        int[] answer = packed.rowAnswer();
        for (int r = 0; r < th.length; r++) {
            ThoughtRollout t = batch.prompts().get(prompt[r]).thoughts().get(thought[r]);
            AnswerRollout a = t.answers().get(answer[r]);
            boolean coupled = mode == PackingMode.COUPLED;
            if (t.truncated() && !coupled) {
                Arrays.fill(th[r], 0);
            }
            if (a.truncated() || coupled && t.truncated()) {
                Arrays.fill(ans[r], 0);
            }
        }
        return replaceMasks(packed, th, ans, "masked_truncated", metrics);
    }

    /**
     * Keeps the loss of the {@code ceil(fraction N)} highest-entropy loss tokens only.
     *
     * @param entropy  per-position entropy of the policy {@code [R,T]} (nats)
     * @param fraction {@code rho} in (0, 1]
     * @param metrics  receives {@code entropy_select/threshold} (the lowest kept entropy), and
     *                 {@code entropy_select/tokens} and {@code entropy_select/frac} (loss tokens cleared)
     */
    static PackedBatch topEntropy(PackedBatch packed, INDArray entropy, double fraction, Map<String, Double> metrics) {
        double[][] th = packed.thoughtMask().toDoubleMatrix();
        double[][] ans = packed.answerMask().toDoubleMatrix();
        double[][] h = entropy.toDoubleMatrix();
        int t = th.length == 0 ? 0 : th[0].length;
        int[] loss = IntStream.range(0, th.length * t).filter(i -> th[i / t][i % t] + ans[i / t][i % t] > 0).toArray();
        int keep = (int) Math.ceil(fraction * loss.length - 1e-9);
        Integer[] order = Arrays.stream(loss).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -h[i / t][i % t]).thenComparingInt(i -> i));
        for (int j = keep; j < order.length; j++) {
            th[order[j] / t][order[j] % t] = 0;
            ans[order[j] / t][order[j] % t] = 0;
        }
        metrics.put("entropy_select/threshold", keep == 0 ? 0.0 : h[order[keep - 1] / t][order[keep - 1] % t]);
        return replaceMasks(packed, th, ans, "entropy_select", metrics);
    }

    private static PackedBatch replaceMasks(PackedBatch p, double[][] th, double[][] ans, String metric,
                                            Map<String, Double> metrics) {
        long tokens = 0;
        for (int r = 0; r < th.length; r++) {
            for (int c = 0; c < th[r].length; c++) {
                tokens += th[r][c] + ans[r][c] > 0 ? 1 : 0;
            }
        }
        long cleared = p.lossTokens() - tokens;
        metrics.put(metric + "/tokens", (double) cleared);
        metrics.put(metric + "/frac", p.lossTokens() == 0 ? 0.0 : (double) cleared / p.lossTokens());
        return new PackedBatch(p.input(), p.targets(), like(th, p.thoughtMask()), like(ans, p.answerMask()),
                p.advantages(), p.oldLogProbs(), p.rowPrompt(), p.rowThought(), p.rowAnswer(), tokens);
    }

    private static INDArray like(double[][] values, INDArray template) {
        return Nd4j.createFromArray(values).castTo(template.dataType());
    }
}
