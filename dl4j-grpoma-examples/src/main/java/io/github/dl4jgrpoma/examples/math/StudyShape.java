package io.github.dl4jgrpoma.examples.math;

import java.util.List;

import io.github.dl4jgrpoma.algo.GrpoEstimator;
import io.github.dl4jgrpoma.algo.GrpoMaEstimator;

/**
 * One configuration of the study: K thoughts, M answers per thought, and the estimator ({@code grpo} when
 * M = 1, so that TkA1 is exactly GRPO; {@code grpo-ma} otherwise).
 *
 * @param thoughts K
 * @param answers  M
 */
public record StudyShape(int thoughts, int answers) {
    public StudyShape {
        if (thoughts < 1 || answers < 1 || thoughts * answers < 2) {
            throw new IllegalArgumentException("a study shape needs K >= 1, M >= 1 and K*M >= 2, got T" + thoughts + "A" + answers);
        }
    }

    /** GRPO for M = 1, GRPO-MA otherwise. */
    public String estimator() {
        return answers == 1 ? GrpoEstimator.NAME : GrpoMaEstimator.NAME;
    }

    /** For example {@code T4A4}. */
    public String name() {
        return "T" + thoughts + "A" + answers;
    }

    /** Parses {@code T4A4}-style names (case-insensitive). */
    public static StudyShape parse(String s) {
        String t = s.trim().toUpperCase(java.util.Locale.ROOT);
        int a = t.indexOf('A');
        if (!t.startsWith("T") || a < 2) {
            throw new IllegalArgumentException("shape '" + s + "' must look like T4A4 (K thoughts, M answers)");
        }
        try {
            return new StudyShape(Integer.parseInt(t.substring(1, a)), Integer.parseInt(t.substring(a + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape '" + s + "' must look like T4A4 (K thoughts, M answers)");
        }
    }

    /** The main comparison (16 answers per prompt where the shape allows) and the M sweep, without repeats. */
    public static List<StudyShape> defaults() {
        return List.of(new StudyShape(16, 1), new StudyShape(4, 4), new StudyShape(4, 1), new StudyShape(2, 8),
                new StudyShape(4, 2), new StudyShape(4, 8));
    }
}
