/**
 * GRPO-MA advantage estimation as pure functions on plain {@code double} arrays (no ND4J, no IO, no
 * randomness).
 *
 * <p>For one prompt with {@code K} thoughts and {@code M} answers per thought, rewards {@code R_ij}:
 * <pre>
 *   V_i      = (1/M) sum_j R_ij
 *   A_th_i   = (V_i - mean_k V_k) / (std_k V_k + delta)
 *   A_ans_ij = (R_ij - mean_kl R_kl) / (std_kl R_kl + delta)
 * </pre>
 * Thought tokens get {@code A_th_i}, answer tokens {@code A_ans_ij}. Entry points:
 * {@link io.github.dl4jgrpoma.algo.AdvantageEstimators} (registry of {@code grpo-ma}, {@code grpo},
 * {@code dr-grpo}), {@link io.github.dl4jgrpoma.algo.AdvantageConfig} (delta 1e-4, sample std, PROMPT
 * answer normalisation by default) and {@link io.github.dl4jgrpoma.algo.Advantages} (result plus group
 * metrics).
 *
 * <p>Departures from / fill-ins for the paper (arXiv 2509.24494), all configurable: the std convention
 * (sample, as {@code torch.std} in TRL/verl), delta (1e-4, as TRL), answer normalisation over all
 * {@code K*M} answers, and all-equal groups getting advantage exactly 0 ("all equal" up to a relative
 * tolerance of 1e-9 of the values' scale, {@link io.github.dl4jgrpoma.algo.GroupStats#RELATIVE_TOLERANCE}).
 */
package io.github.dl4jgrpoma.algo;
