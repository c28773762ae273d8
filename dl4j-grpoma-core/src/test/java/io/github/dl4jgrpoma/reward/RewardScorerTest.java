package io.github.dl4jgrpoma.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RewardScorerTest {

    private static final String LONG_PROMPT = "Compute the product of six and seven. ".repeat(5);

    private static RewardContext sample(int k, int m, String answer, int... tokens) {
        return RewardContext.builder().indices(3, k, m).prompt(LONG_PROMPT).metadata(Map.of("answer", "42"))
                .thought("6*7", 6, 7).answer(answer, tokens).build();
    }

    /** [["42","41"],["x","42"]] with 2, 2, 1, 2 answer tokens. */
    private static List<List<RewardContext>> group() {
        return List.of(List.of(sample(0, 0, "42", 4, 2), sample(0, 1, "41", 4, 1)),
                List.of(sample(1, 0, "x", 9), sample(1, 1, "42", 4, 2)));
    }

    /** total = 1.0 * numeric + 2.0 * format(0.1) + 0.5 * (-answerLength). */
    private static CompositeReward composite() {
        return CompositeReward.builder()
                .add(NumericMatchReward.withDefaults(), 1.0)
                .add(FormatReward.numericAnswer("format", 0.1), 2.0)
                .add(RewardFunction.of("length", c -> -c.answerLength()), 0.5)
                .build();
    }

    @Test
    void compositeWeightsTermsAndKeepsRawScores() {
        CompositeScore s = composite().evaluate(sample(0, 0, "42", 4, 2));
        // 1*1 + 2*0.1 + 0.5*(-2) = 0.2
        assertEquals(0.2, s.total(), 1e-12);
        assertEquals(List.of("numeric_match", "format", "length"), List.copyOf(s.perReward().keySet()));
        assertEquals(1.0, s.perReward().get("numeric_match"));
        assertEquals(0.1, s.perReward().get("format"));
        assertEquals(-2.0, s.perReward().get("length"));
        assertEquals(0.2, composite().score(sample(0, 0, "42", 4, 2)), 1e-12);
    }

    @Test
    void duplicateOrInvalidNamesAreRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompositeReward.builder()
                .add(NumericMatchReward.withDefaults()).add(FormatReward.numericAnswer("format", 0.1))
                .add(NumericMatchReward.forKey("other")).build());
        assertTrue(e.getMessage().contains("'numeric_match'") && e.getMessage().contains("terms 0 and 2"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RewardFunction.of("has space", c -> 0));
        assertThrows(IllegalArgumentException.class, () -> RewardFunction.of("a/b", c -> 0));
        assertThrows(IllegalArgumentException.class, () -> RewardFunction.of("", c -> 0));
        assertThrows(IllegalArgumentException.class, () -> CompositeReward.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> CompositeReward.builder().add(RewardFunction.of("w", c -> 0), Double.NaN));
    }

    @Test
    void scoresGroupWithHandComputedTotalsAndMetrics() {
        RewardScores s = new RewardScorer(composite()).scoreGroup(group());
        assertEquals(2, s.rows());
        assertEquals(2, s.cols());
        double[][] totals = s.totals();
        assertArrayEquals(new double[] {0.2, -0.8}, totals[0], 1e-12);
        assertArrayEquals(new double[] {-0.5, 0.2}, totals[1], 1e-12);
        assertArrayEquals(new double[] {1, 0}, s.perReward("numeric_match")[0], 0);
        assertArrayEquals(new double[] {0, 1}, s.perReward("numeric_match")[1], 0);
        assertArrayEquals(new double[] {0, 0.1}, s.perReward("format")[1], 0);
        assertEquals(-1.0, s.score("length", 1, 0));
        assertEquals(0, s.totalFailures());

        Map<String, Double> m = s.metrics();
        assertEquals(List.of("rewards/numeric_match/mean", "rewards/numeric_match/std", "rewards/numeric_match/failures",
                "rewards/format/mean", "rewards/format/std", "rewards/format/failures",
                "rewards/length/mean", "rewards/length/std", "rewards/length/failures",
                "reward/mean", "reward/std"), List.copyOf(m.keySet()));
        assertEquals(0.5, m.get("rewards/numeric_match/mean"), 1e-12);
        assertEquals(0.5, m.get("rewards/numeric_match/std"), 1e-12);
        assertEquals(0.075, m.get("rewards/format/mean"), 1e-12);
        assertEquals(Math.sqrt(0.0075 / 4), m.get("rewards/format/std"), 1e-12);
        assertEquals(-1.75, m.get("rewards/length/mean"), 1e-12);
        assertEquals(-0.225, m.get("reward/mean"), 1e-12);
        // deviations 0.425, -0.575, -0.275, 0.425 -> sum of squares 0.7675
        assertEquals(Math.sqrt(0.7675 / 4), m.get("reward/std"), 1e-12);

        // The result is a copy: mutating returned arrays changes nothing.
        totals[0][0] = 100;
        s.perReward("format")[0][0] = 100;
        assertEquals(0.2, s.total(0, 0), 1e-12);
        assertEquals(0.1, s.score("format", 0, 0));
        assertThrows(IllegalArgumentException.class, () -> s.perReward("nope"));
    }

    @Test
    void pooledMetricsOverSeveralGroups() {
        RewardScorer scorer = new RewardScorer(composite());
        RewardScores a = scorer.scoreGroup(group()); // totals 0.2, -0.8, -0.5, 0.2
        RewardScores b = scorer.scoreList(List.of(sample(0, 0, "42", 4, 2), sample(0, 1, "42"))); // 0.2, 1.2
        Map<String, Double> m = RewardScores.pooledMetrics(List.of(a, b));
        // six totals: 0.2, -0.8, -0.5, 0.2, 0.2, 1.2 -> mean 0.5/6
        double mean = 0.5 / 6;
        double sq = 0;
        for (double v : new double[] {0.2, -0.8, -0.5, 0.2, 0.2, 1.2}) {
            sq += (v - mean) * (v - mean);
        }
        assertEquals(mean, m.get("reward/mean"), 1e-12);
        assertEquals(Math.sqrt(sq / 6), m.get("reward/std"), 1e-12);
        assertEquals(4.0 / 6, m.get("rewards/numeric_match/mean"), 1e-12); // 1,0,0,1,1,1
        assertEquals(0.0, m.get("rewards/length/failures"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RewardScores.pooledMetrics(
                List.of(a, new RewardScorer(CompositeReward.of(NumericMatchReward.withDefaults())).scoreGroup(group()))));
        assertTrue(e.getMessage().contains("different rewards"), e.getMessage());
    }

    @Test
    void scoreListHasOneRow() {
        RewardScores s = new RewardScorer(composite()).scoreList(List.of(sample(0, 0, "42", 4, 2),
                sample(5, 7, "41", 4, 1), sample(0, 0, "x", 9)));
        assertEquals(1, s.rows());
        assertArrayEquals(new double[] {0.2, -0.8, -0.5}, s.totals()[0], 1e-12);
    }

    @Test
    void raggedOrMisIndexedGroupsAreRejected() {
        RewardScorer scorer = new RewardScorer(composite());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class, () -> scorer.scoreGroup(
                List.of(List.of(sample(0, 0, "1"), sample(0, 1, "2")), List.of(sample(1, 0, "3")))));
        assertTrue(ragged.getMessage().contains("thought 1 has 1 answers"), ragged.getMessage());
        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class, () -> scorer.scoreGroup(
                List.of(List.of(sample(0, 1, "1"), sample(0, 0, "2")))));
        assertTrue(swapped.getMessage().contains("[0][0]"), swapped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> scorer.scoreGroup(List.of()));
    }

    /** Throws on "x", returns NaN on "41", +inf on "43", -inf on "44", else 1. */
    private static RewardFunction flaky() {
        return RewardFunction.of("flaky", c -> switch (c.answer()) {
            case "x" -> throw new IllegalStateException("cannot score x");
            case "41" -> Double.NaN;
            case "43" -> Double.POSITIVE_INFINITY;
            case "44" -> Double.NEGATIVE_INFINITY;
            default -> 1.0;
        });
    }

    private static CompositeReward withFlaky() {
        return CompositeReward.builder().add(NumericMatchReward.withDefaults(), 1.0).add(flaky(), 0.5).build();
    }

    @Test
    void failPolicyStopsOnThrowNamingRewardIndicesExcerptsAndCause() {
        RewardScorer scorer = new RewardScorer(withFlaky());
        List<List<RewardContext>> g = List.of(List.of(sample(0, 0, "42"), sample(0, 1, "7")),
                List.of(sample(1, 0, "x\nline2"), sample(1, 1, "x")));
        // "x\nline2" is not "x", so the first failure is [1][1]
        RewardException e = assertThrows(RewardException.class, () -> scorer.scoreGroup(g));
        assertEquals("flaky", e.rewardName());
        assertEquals(3, e.promptIndex());
        assertEquals(1, e.thoughtIndex());
        assertEquals(1, e.answerIndex());
        assertTrue(e.getCause() instanceof IllegalStateException);
        String msg = e.getMessage();
        assertTrue(msg.contains("reward 'flaky' failed on prompt 3, thought 1, answer 1"), msg);
        assertTrue(msg.contains("cannot score x"), msg);
        assertTrue(msg.contains("answer: \"x\""), msg);
        assertTrue(msg.contains("prompt: \"Compute the product"), msg);
        assertTrue(msg.contains("(" + LONG_PROMPT.length() + " chars)"), msg); // the prompt is cut
        assertTrue(msg.contains("RewardErrorPolicy.substitute"), msg);
    }

    @Test
    void failPolicyStopsOnNanAndInfinities() {
        RewardScorer scorer = new RewardScorer(withFlaky(), RewardErrorPolicy.fail());
        for (String answer : List.of("41", "43", "44")) {
            RewardException e = assertThrows(RewardException.class,
                    () -> scorer.scoreList(List.of(sample(0, 0, "42"), sample(2, 1, answer))));
            assertTrue(e.getMessage().contains("thought 2, answer 1"), e.getMessage());
            String expected = switch (answer) {
                case "41" -> "returned NaN";
                case "43" -> "returned Infinity";
                default -> "returned -Infinity";
            };
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    @Test
    void substitutePolicyScoresTheValueAndCountsPerReward() {
        RewardScorer scorer = new RewardScorer(withFlaky(), RewardErrorPolicy.substitute(-1.0));
        List<List<RewardContext>> g = List.of(
                List.of(sample(0, 0, "42"), sample(0, 1, "41"), sample(0, 2, "x")),
                List.of(sample(1, 0, "43"), sample(1, 1, "44"), sample(1, 2, "7")));
        RewardScores s = scorer.scoreGroup(g);
        assertEquals(Map.of("numeric_match", 0, "flaky", 4), s.failureCounts());
        assertEquals(4, s.totalFailures());
        assertArrayEquals(new double[] {1, -1, -1}, s.perReward("flaky")[0], 0);
        assertArrayEquals(new double[] {-1, -1, 1}, s.perReward("flaky")[1], 0);
        // totals: numeric + 0.5 * flaky
        assertArrayEquals(new double[] {1.5, -0.5, -0.5}, s.totals()[0], 1e-12);
        assertArrayEquals(new double[] {-0.5, -0.5, 0.5}, s.totals()[1], 1e-12);
        assertEquals(4.0, s.metrics().get("rewards/flaky/failures"));
        assertEquals(0.0, s.metrics().get("rewards/numeric_match/failures"));
        assertSame(RewardFailureMode.SUBSTITUTE, scorer.policy().mode());
    }

    @Test
    void policyValidation() {
        assertThrows(IllegalArgumentException.class, () -> RewardErrorPolicy.substitute(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new RewardErrorPolicy(RewardFailureMode.FAIL, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new RewardErrorPolicy(null, 0.0));
    }

    /** Issue 9 item 6: a finite reward whose weighted value overflows is a failure of that reward. */
    @Test
    void overflowingWeightedScoresNameTheRewardAndFollowThePolicy() {
        CompositeReward huge = CompositeReward.builder()
                .add(RewardFunction.of("huge", ctx -> ctx.answerIndex() == 0 ? 1e308 : 1.0), 10.0)
                .add(RewardFunction.of("ok", ctx -> 0.5), 1.0).build();
        RewardException e = assertThrows(RewardException.class, () -> new RewardScorer(huge).scoreGroup(group()));
        assertEquals("huge", e.rewardName());
        assertTrue(e.getMessage().contains("1.0E308") && e.getMessage().contains("weight 10.0")
                && e.getMessage().contains("Infinity"), e.getMessage());

        RewardScores s = new RewardScorer(huge, RewardErrorPolicy.substitute(0)).scoreGroup(group());
        assertEquals(2, s.failureCounts().get("huge"), "answer 0 of both thoughts overflows");
        assertEquals(0, s.failureCounts().get("ok"));
        for (double[] row : s.totals()) {
            assertEquals(0.5, row[0], 0, "substituted 0 x 10 + 0.5");
            assertEquals(10.5, row[1], 0);
        }

        // two finite weighted terms whose sum overflows: both are named, both substituted
        CompositeReward pair = CompositeReward.builder().add(RewardFunction.of("a", ctx -> 1e308), 1.5)
                .add(RewardFunction.of("b", ctx -> 1e308), 1.5).add(RewardFunction.of("c", ctx -> 1.0), 1.0).build();
        RewardScores p = new RewardScorer(pair, RewardErrorPolicy.substitute(0)).scoreGroup(group());
        assertEquals(4, p.failureCounts().get("a"));
        assertEquals(4, p.failureCounts().get("b"));
        assertEquals(0, p.failureCounts().get("c"));
        assertEquals(1.0, p.totals()[0][0], 0);
        RewardException sum = assertThrows(RewardException.class, () -> new RewardScorer(pair).scoreGroup(group()));
        assertEquals("a", sum.rewardName());
        assertTrue(sum.getMessage().contains("weighted total"), sum.getMessage());
    }
}
