package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.listener.StepEvent;

/** The study table of short runs: what was not measured is shown as "-", never as NaN. */
class StudyTableTest {
    /** A step without a spike score (the first 10 steps have no median of previous norms). */
    static StepEvent step(long step, long total) {
        return new StepEvent(StepEvent.PHASE_RL, step, total, 10, Map.of("reward/mean", 0.5, "time/rollout_ms", 100.0,
                "time/update_ms", 200.0));
    }

    /** Two seeds of a 2-step run with --eval-samples 0. */
    private static String shortRunsWithoutSamples() {
        StudyTable t = new StudyTable("accuracy", "pass@1");
        t.add(new StudyRun("T4A4", "grpo-ma", 16, 1, 0.25, 0.5, Double.NaN, Double.NaN, List.of(step(1, 2), step(2, 2))));
        t.add(new StudyRun("T4A4", "grpo-ma", 16, 2, 0.25, 0.75, Double.NaN, Double.NaN, List.of(step(1, 2), step(2, 2))));
        return t.markdown();
    }

    private static List<String> cells(String md) {
        String row = md.lines().filter(l -> l.startsWith("| T4A4 |")).findFirst().orElseThrow();
        return List.of(row.split("\\|")).stream().map(String::trim).toList();
    }

    @Test
    void unmeasuredSampledScoresAreADashNotNaN() {
        String md = shortRunsWithoutSamples();
        assertTrue(md.contains("sampled pass@1 -."), md);
        assertEquals("-", cells(md).get(9), "sampled pass@1 column: " + md);
    }

    @Test
    void runsTooShortForASpikeScoreShowADashAsMaxSpike() {
        String md = shortRunsWithoutSamples();
        assertFalse(md.contains("NaN"), md);
        List<String> cells = cells(md);
        assertEquals("-", cells.get(cells.size() - 1), "max spike column: " + md);
        assertEquals("0.0", cells.get(cells.size() - 2), "no step counted as a spike: " + md);
    }

    @Test
    void measuredValuesKeepTheirFormat() {
        StudyTable t = new StudyTable("accuracy", "pass@1");
        Map<String, Double> m = Map.of("grad_spike_score", 3.5);
        t.add(new StudyRun("T4A4", "grpo-ma", 16, 1, 0.25, 0.5, 0.125, 0.375,
                List.of(new StepEvent(StepEvent.PHASE_RL, 1, 1, 10, m))));
        String md = t.markdown();
        assertTrue(md.contains("sampled pass@1 0.125."), md);
        assertTrue(md.contains("| 0.375 |") && md.endsWith("| 1.0 | 3.50 |\n"), md);
    }

    @Test
    void countsAgreeWithTheirNumber() {
        assertEquals("1 step", ReportText.count(1, "step"));
        assertEquals("0 steps", ReportText.count(0, "step"));
        assertEquals("60 steps", ReportText.count(60, "step"));
    }

    @Test
    void scoresAreADashWhereNotMeasured() {
        assertEquals("-", ReportText.score(Double.NaN));
        assertEquals("n/a (--eval-samples 0)", ReportText.scoreOr(Double.NaN, "n/a (--eval-samples 0)"));
        assertEquals("0.250", ReportText.score(0.25));
    }
}
