package io.github.dl4jgrpoma.examples.math;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.listener.StepEvent;

/** The summary and the study table of a short math run with {@code --eval-samples 0}: no NaN, singular counts. */
class MathOutputsTest {
    private static MathResult result(int evalSamples) {
        MathSettings s = MathSettings.defaults().with("evalSamples", evalSamples).with("rlSteps", 1).with("sftSteps", 1);
        double pass = evalSamples == 0 ? Double.NaN : 0.5;
        EvalResult before = new EvalResult(4, 0.25, pass, List.of());
        EvalResult after = new EvalResult(4, 0.5, pass, List.of("1+1= 1+1+0=2| -> 2  (correct)"));
        StepEvent step = new StepEvent(StepEvent.PHASE_RL, 1, 1, 10, Map.of("reward/mean", 0.5, "time/rollout_ms", 100.0,
                "time/update_ms", 200.0));
        return new MathResult(s, 3, 4, before, before, after, after, List.of(step), List.of(), "");
    }

    @Test
    void withoutSamplesTheSummarySaysPass1WasNotMeasured() {
        String summary = MathOutputs.summary(result(0));
        assertFalse(summary.contains("NaN"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.matches("held-out sampled pass@1\\s+-\\s+-")), summary);
        assertTrue(summary.contains("pass@1 not measured (--eval-samples 0)"), summary);
        String measured = MathOutputs.summary(result(2));
        assertTrue(measured.lines().anyMatch(l -> l.matches("held-out sampled pass@1\\s+0\\.500\\s+0\\.500")), measured);
        assertFalse(measured.contains("not measured"), measured);
    }

    @Test
    void oneStepIsSingular() {
        assertTrue(MathOutputs.summary(result(2)).contains("SFT: 1 step in 3 s; RL: 1 step in 4 s"));
    }

    @Test
    void theStudyTableWithoutSamplesShowsADashAsPass1() {
        StudyReport report = new StudyReport();
        report.add("T4A4", result(0));
        String row = report.markdown(0.4).lines().filter(l -> l.startsWith("| T4A4 |")).findFirst().orElseThrow();
        assertTrue(row.contains("| +0.250 | - | 0.500 |"), "pass@1 column after the gain: " + row);
    }

    @Test
    void theStudyTableOfRunsTooShortForASpikeScoreHasNoNaN() {
        StudyReport report = new StudyReport();
        report.add("T4A4", result(2));
        String md = report.markdown(0.4);
        assertFalse(md.contains("NaN"), md);
        assertTrue(md.contains("| 0.0 | - |"), "no spike, max spike '-': " + md);
    }
}
