package io.github.dl4jgrpoma.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ProgressBarListenerTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static StepEvent step(long s, long total, long elapsed) {
        return new StepEvent("rl", s, total, elapsed, Map.of("loss", 0.125));
    }

    @Test
    void showsPercentageBarAndEtaAndEndsWithNewline() {
        ProgressBarListener bar = new ProgressBarListener(out, 10, 0, List.of("loss", "absent"));
        for (int s = 1; s <= 4; s++) {
            bar.onStep(step(s, 10, 1000L * s));
        }
        String afterFour = text();
        String last = afterFour.substring(afterFour.lastIndexOf('\r') + 1);
        // 4/10 -> 40%, 4 of 10 cells; 1000 ms per step, 6 steps left -> eta 00:06
        assertEquals("rl  40% [####------] 4/10 elapsed 00:04 eta 00:06 | loss=0.125", last);
        for (int s = 5; s <= 10; s++) {
            bar.onStep(step(s, 10, 1000L * s));
        }
        String all = text();
        assertTrue(all.endsWith("rl 100% [##########] 10/10 elapsed 00:10 eta 00:00 | loss=0.125\n"), all);
        assertEquals(10, all.chars().filter(c -> c == '\r').count());
        bar.onEnd(new TrainingEndEvent(EndReason.COMPLETED, 10, 10_000, Map.of(), ""));
        assertEquals(1, text().chars().filter(c -> c == '\n').count()); // no second newline
    }

    @Test
    void throttlesRedrawsByElapsedTime() {
        ProgressBarListener bar = new ProgressBarListener(out, 5, 2500, List.of());
        for (int s = 1; s <= 10; s++) {
            bar.onStep(step(s, 10, 1000L * s));
        }
        // drawn at step 1 (first), 4 (3000 ms after the last draw), 7, 10 (last)
        assertEquals(4, text().chars().filter(c -> c == '\r').count());
        assertTrue(text().contains(" 40% ") && text().contains(" 70% ") && !text().contains(" 50% "), text());
    }

    @Test
    void etaAfterResumeCountsOnlyStepsRunInThisProcessAndUsesHours() {
        ProgressBarListener bar = new ProgressBarListener(out, 4, 0, List.of());
        bar.onStep(step(501, 1000, 2000));
        bar.onStep(step(502, 1000, 4000));
        // 4000 ms / 2 steps = 2000 ms per step, 498 steps left -> 996 s = 16:36
        assertTrue(text().endsWith("eta 16:36"), text());
        bar.onEnd(new TrainingEndEvent(EndReason.EARLY_STOPPED, 2, 4000, Map.of(), "stop"));
        assertTrue(text().endsWith("\n"));

        ByteArrayOutputStream b2 = new ByteArrayOutputStream();
        ProgressBarListener hours = new ProgressBarListener(new PrintStream(b2, true, StandardCharsets.UTF_8), 4, 0,
                List.of());
        hours.onStep(step(1, 10_000, 2000));
        hours.onStep(step(2, 10_000, 4000));
        // 2000 ms per step * 9998 steps = 19996 s = 5 h 33 min 16 s
        assertTrue(b2.toString(StandardCharsets.UTF_8).endsWith("eta 5:33:16"), b2.toString(StandardCharsets.UTF_8));
    }

    @Test
    void phaseChangeStartsANewLine() {
        ProgressBarListener bar = new ProgressBarListener(out, 4, 0, List.of());
        bar.onStep(new StepEvent("sft", 1, 3, 100, Map.of()));
        bar.onStep(new StepEvent("rl", 1, 2, 100, Map.of()));
        String t = text();
        assertTrue(t.startsWith("\rsft  33% [#---] 1/3") && t.contains("\n\rrl  50% [##--] 1/2"), t);
    }

    @Test
    void nonInteractiveModePrintsWholeLinesWithoutCarriageReturns() {
        ProgressBarListener bar = new ProgressBarListener(out, 4, 1000, List.of("loss"), false);
        for (int s = 1; s <= 10; s++) {
            bar.onStep(step(s, 10, 400L * s));
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), text);
        // drawn at the first step, then whenever 1000 ms passed (steps 4, 7, 10), the last step always
        assertEquals(4, text.lines().count(), text);
        assertTrue(text.lines().allMatch(l -> l.startsWith("rl ") && l.contains("loss=0.125")), text);
    }
}
