package io.github.dl4jgrpoma.examples.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The summary of an image run with {@code --eval-samples 0}: the sampled row says it was not measured. */
class ImageOutputsTest {
    @Test
    void withoutSamplesTheSampledRowIsNotMeasured() {
        ImageSettings s = ImageExperimentTest.tiny(DigitSumTask.NAME, "cnn").with("evalSamples", 0);
        ImageEvalResult before = new ImageEvalResult(3, 0.5, 0.25, Double.NaN, List.of());
        ImageEvalResult after = new ImageEvalResult(3, 0.75, 0.5, Double.NaN, List.of());
        String summary = ImageOutputs.summary(new ImageResult(s, 3, 4, before, after, List.of(), 1.0, ""));
        assertFalse(summary.contains("NaN"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.matches("sampled pass@1\\s+-\\s+-")), summary);
        assertTrue(summary.contains("sampled row not measured (--eval-samples 0)"), summary);
    }
}
