package io.github.dl4jgrpoma.algo;

/**
 * Which group an answer reward is normalised against when computing the answer advantage
 * {@code A_ans_ij}.
 *
 * <ul>
 *   <li>{@link #PROMPT} (default, GRPO-MA.md step 6): over all {@code K*M} answers of the prompt,
 *       {@code A_ans_ij = (R_ij - mean_kl R_kl) / (std_kl R_kl + delta)}. The paper's figure and a later
 *       re-implementation read the method this way. With {@code M = 1} this is plain GRPO's advantage.</li>
 *   <li>{@link #THOUGHT} (ablation): over the {@code M} answers branched from the same thought,
 *       {@code A_ans_ij = (R_ij - V_i) / (std_l R_il + delta)}. The answer advantage then says only how an
 *       answer compares with its siblings. With {@code M = 1} every answer group has one member, so every
 *       answer advantage is 0.</li>
 * </ul>
 */
public enum AnswerNormalization {
    /** Normalise over all {@code K*M} answers of the prompt. The default. */
    PROMPT,
    /** Normalise over the {@code M} answers of the same thought (an ablation). */
    THOUGHT;

    /** The default, {@link #PROMPT}. */
    public static AnswerNormalization defaultNormalization() {
        return PROMPT;
    }
}
