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
 * <p>For each sample and each term {@code i}: {@code r_i = reward_i.score(ctx)}; a throw or a non-finite
 * {@code r_i} is a failure. Under FAIL the first failure (row-major order, then term order) is thrown as a
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
                double total = 0;
                for (int t = 0; t < terms.size(); t++) {
                    WeightedReward term = terms.get(t);
                    double r;
                    String problem = null;
                    Throwable cause = null;
                    try {
                        r = term.reward().score(ctx);
                        if (!Double.isFinite(r)) {
                            problem = "returned " + r;
                        }
                    } catch (Exception e) {
                        r = Double.NaN;
                        problem = "threw " + e;
                        cause = e;
                    }
                    if (problem != null) {
                        if (policy.mode() == RewardFailureMode.FAIL) {
                            throw new RewardException(term.name(), ctx, problem, cause);
                        }
                        r = policy.substituteValue();
                        failures[t]++;
                        LOG.debug("reward '{}' {} on {}; substituted {}", term.name(), problem, ctx, r);
                        if (firstFailure == null) {
                            firstFailure = "'" + term.name() + "' " + problem + " on prompt " + ctx.promptIndex()
                                    + ", thought " + ctx.thoughtIndex() + ", answer " + ctx.answerIndex();
                        }
                    }
                    per.get(t)[i][j] = r;
                    total += term.weight() * r;
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
