package io.github.dl4jgrpoma.reward;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a K x M group (or a flat list) of samples with a {@link CompositeReward} under a
 * {@link RewardErrorPolicy}.
 *
 * <p>For each sample and each term {@code i}: {@code r_i = reward_i.score(ctx)}; a throw, a non-finite
 * {@code r_i}, a non-finite weighted score {@code w_i * r_i} (a finite reward times its weight can overflow,
 * e.g. 1e308 x 10) and a weighted score that makes the sum overflow (every term with
 * {@code |w_i r_i| >= Double.MAX_VALUE / n}) are failures of that reward, named in the message. Under FAIL the first failure (row-major order, then term order) is thrown as a
 * {@link RewardException}; under SUBSTITUTE {@code r_i} becomes the substitute value, the failure is
 * counted for that reward, and one WARN line per call summarises the failures. The total is
 * {@code R = sum_i w_i * r_i}.
 *
 * <p>Stateless apart from its configuration; safe to share between threads if the rewards are.
 */
public final class RewardScorer {
    private static final Logger LOG = LoggerFactory.getLogger(RewardScorer.class);

    private final CompositeReward composite;
    private final RewardErrorPolicy policy;

    /**
     * @param composite the rewards and weights
     * @param policy    the failure policy
     */
    public RewardScorer(CompositeReward composite, RewardErrorPolicy policy) {
        if (composite == null || policy == null) {
            throw new IllegalArgumentException("composite and policy must not be null (composite=" + composite
                    + ", policy=" + policy + "); fix: pass e.g. CompositeReward.of(...) and RewardErrorPolicy.fail()");
        }
        this.composite = composite;
        this.policy = policy;
    }

    /** A scorer with the default FAIL policy. */
    public RewardScorer(CompositeReward composite) {
        this(composite, RewardErrorPolicy.fail());
    }

    /** The composite reward. */
    public CompositeReward composite() {
        return composite;
    }

    /** The failure policy. */
    public RewardErrorPolicy policy() {
        return policy;
    }

    /**
     * Scores the K x M group of one prompt. {@code group.get(k).get(m)} must have thought index {@code k},
     * answer index {@code m} and the same prompt index as every other sample; every thought must have the
     * same number M of answers.
     *
     * @return scores of shape [K][M]
     * @throws IllegalArgumentException on an empty, ragged or mis-indexed group
     * @throws RewardException under FAIL when a reward fails
     */
    public RewardScores scoreGroup(List<List<RewardContext>> group) {
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("group is empty; fix: pass K >= 1 thoughts with M >= 1 answers each");
        }
        int k = group.size();
        int m = group.get(0).size();
        int prompt = -1;
        for (int i = 0; i < k; i++) {
            List<RewardContext> row = group.get(i);
            if (row.size() != m || m == 0) {
                throw new IllegalArgumentException("thought " + i + " has " + row.size() + " answers but thought 0 has "
                        + m + "; fix: every thought needs the same number M >= 1 of answers");
            }
            for (int j = 0; j < m; j++) {
                RewardContext c = row.get(j);
                if (prompt < 0) {
                    prompt = c.promptIndex();
                }
                if (c.thoughtIndex() != i || c.answerIndex() != j || c.promptIndex() != prompt) {
                    throw new IllegalArgumentException("group position [" + i + "][" + j + "] holds the sample of prompt "
                            + c.promptIndex() + ", thought " + c.thoughtIndex() + ", answer " + c.answerIndex()
                            + "; fix: group.get(k).get(m) must be thought k, answer m of prompt " + prompt);
                }
            }
        }
        return score(group, k, m);
    }

    /**
     * Scores a flat list of samples (any indices).
     *
     * @return scores of shape [1][N]
     */
    public RewardScores scoreList(List<RewardContext> contexts) {
        if (contexts == null || contexts.isEmpty()) {
            throw new IllegalArgumentException("contexts is empty; fix: pass at least one sample");
        }
        return score(List.of(contexts), 1, contexts.size());
    }

    /**
     * Marks the terms of one sample whose weighted scores, each finite, sum to a non-finite total: every
     * term with {@code |w r| >= Double.MAX_VALUE / n} (n terms; if all were below, the sum could not overflow).
     */
    private static void overflowingSum(List<WeightedReward> terms, double[] raw, String[] problems) {
        double sum = 0;
        for (int t = 0; t < terms.size(); t++) {
            sum += problems[t] == null ? terms.get(t).weight() * raw[t] : 0;
        }
        if (Double.isFinite(sum)) {
            return;
        }
        for (int t = 0; t < terms.size(); t++) {
            double weighted = terms.get(t).weight() * raw[t];
            if (problems[t] == null && Math.abs(weighted) >= Double.MAX_VALUE / terms.size()) {
                problems[t] = "returned " + raw[t] + ", whose weighted value " + weighted + " makes the weighted total"
                        + " overflow to " + sum;
            }
        }
    }

    private RewardScores score(List<List<RewardContext>> rows, int nRows, int nCols) {
        List<WeightedReward> terms = composite.terms();
        double[][] totals = new double[nRows][nCols];
        List<double[][]> per = new ArrayList<>();
        int[] failures = new int[terms.size()];
        String firstFailure = null;
        for (int t = 0; t < terms.size(); t++) {
            per.add(new double[nRows][nCols]);
        }
        for (int i = 0; i < nRows; i++) {
            for (int j = 0; j < nCols; j++) {
                RewardContext ctx = rows.get(i).get(j);
                double[] raw = new double[terms.size()];
                String[] problems = new String[terms.size()];
                Throwable[] causes = new Throwable[terms.size()];
                for (int t = 0; t < terms.size(); t++) {
                    WeightedReward term = terms.get(t);
                    try {
                        raw[t] = term.reward().score(ctx);
                        if (!Double.isFinite(raw[t])) {
                            problems[t] = "returned " + raw[t];
                        } else if (!Double.isFinite(term.weight() * raw[t])) {
                            problems[t] = "returned " + raw[t] + ", which times its weight " + term.weight()
                                    + " overflows to " + term.weight() * raw[t];
                        }
                    } catch (Exception e) {
                        raw[t] = Double.NaN;
                        problems[t] = "threw " + e;
                        causes[t] = e;
                    }
                }
                overflowingSum(terms, raw, problems);
                double total = 0;
                for (int t = 0; t < terms.size(); t++) {
                    WeightedReward term = terms.get(t);
                    double r = raw[t];
                    if (problems[t] != null) {
                        if (policy.mode() == RewardFailureMode.FAIL) {
                            throw new RewardException(term.name(), ctx, problems[t], causes[t]);
                        }
                        r = policy.substituteValue();
                        failures[t]++;
                        LOG.debug("reward '{}' {} on {}; substituted {}", term.name(), problems[t], ctx, r);
                        if (firstFailure == null) {
                            firstFailure = "'" + term.name() + "' " + problems[t] + " on prompt " + ctx.promptIndex()
                                    + ", thought " + ctx.thoughtIndex() + ", answer " + ctx.answerIndex();
                        }
                    }
                    per.get(t)[i][j] = r;
                    total += term.weight() * r;
                }
                if (!Double.isFinite(total)) {
                    throw new RewardException(terms.get(0).name(), ctx, "the weighted total " + total + " of "
                            + composite + " is not finite even with the substitute value "
                            + policy.substituteValue() + "; rescale the rewards or their weights", null);
                }
                totals[i][j] = total;
            }
        }
        Map<String, double[][]> perMap = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int t = 0; t < terms.size(); t++) {
            perMap.put(terms.get(t).name(), per.get(t));
            counts.put(terms.get(t).name(), failures[t]);
        }
        RewardScores result = new RewardScores(totals, perMap, counts);
        if (firstFailure != null) {
            LOG.warn("{} reward failures among {} samples, each scored {} instead; per reward: {} (first: {})",
                    result.totalFailures(), nRows * nCols, policy.substituteValue(), counts, firstFailure);
        }
        return result;
    }
}
