package io.github.dl4jgrpoma.examples.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MathTaskTest {

    @Test
    void scratchpadsOfHandWorkedProblems() {
        assertEquals(new Scratchpad("7+8+0=15|5+6+1=12|", "125"), Scratchpad.of(new MathProblem(57, Operation.ADD, 68)));
        assertEquals(new Scratchpad("5-8-0=7,1|6-2-1=3,0|", "37"), Scratchpad.of(new MathProblem(65, Operation.SUB, 28)));
        assertEquals(new Scratchpad("7*8+0=56|5*8+5=45|", "456"), Scratchpad.of(new MathProblem(57, Operation.MUL, 8)));
        // shorter second operand, and leading zeros of a difference are dropped
        assertEquals(new Scratchpad("3+9+0=12|2+0+1=3|1+0+0=1|", "132"), Scratchpad.of(new MathProblem(123, Operation.ADD, 9)));
        assertEquals(new Scratchpad("1-0-0=1,0|0-9-0=1,1|1-0-1=0,0|", "11"), Scratchpad.of(new MathProblem(101, Operation.SUB, 90)));
    }

    @Test
    void correctScratchpadsGiveTheExactAnswerEverywhere() {
        MathTask task = new MathTask(EnumSet.allOf(Operation.class), 2, 3, 10);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 3000; i++) {
            MathProblem p = task.sampleTrain(rng);
            assertEquals(Long.toString(p.answer()), Scratchpad.of(p).answer(), p.toString());
            assertTrue(Scratchpad.of(p).thought().length() <= MathTask.maxThoughtChars(task.maxDigits()));
        }
        for (MathProblem p : task.outOfDistribution(300, 5)) {
            assertEquals(Long.toString(p.answer()), Scratchpad.of(p).answer(), p.toString());
            assertTrue(Scratchpad.of(p).thought().length() <= MathTask.maxThoughtChars(task.maxDigits() + 1));
            assertTrue(p.promptText().length() <= MathTask.maxPromptChars(task.maxDigits() + 1));
            assertTrue(Scratchpad.of(p).answer().length() <= MathTask.maxAnswerChars(task.maxDigits() + 1));
        }
    }

    @Test
    void noCarryScratchpadsLeaveTheCarriesToTheAnswer() {
        assertEquals(new Scratchpad("7+8=15|5+6=11|", "125"),
                Scratchpad.of(new MathProblem(57, Operation.ADD, 68), ThoughtStyle.NO_CARRY));
        assertEquals(new Scratchpad("5-8=-3|6-2=4|", "37"),
                Scratchpad.of(new MathProblem(65, Operation.SUB, 28), ThoughtStyle.NO_CARRY));
        assertEquals(new Scratchpad("7*8=56|5*8=40|", "456"),
                Scratchpad.of(new MathProblem(57, Operation.MUL, 8), ThoughtStyle.NO_CARRY));
        assertEquals(new Scratchpad("1-0=1|0-9=-9|1-0=1|", "11"),
                Scratchpad.of(new MathProblem(101, Operation.SUB, 90), ThoughtStyle.NO_CARRY));
        MathTask task = new MathTask(EnumSet.allOf(Operation.class), 2, 3, 10);
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 3000; i++) {
            MathProblem p = task.sampleTrain(rng);
            Scratchpad s = Scratchpad.of(p, ThoughtStyle.NO_CARRY);
            assertEquals(Long.toString(p.answer()), s.answer(), p.toString());
            assertTrue(s.thought().length() <= MathTask.maxThoughtChars(task.maxDigits()));
        }
        // a mistake in one column shifts the answer by delta * 10^column
        assertEquals("135", Scratchpad.of(new MathProblem(57, Operation.ADD, 68), 1, 1, ThoughtStyle.NO_CARRY).answer());
        assertEquals(ThoughtStyle.NO_CARRY, ThoughtStyle.parse("no-carry"));
        assertThrows(IllegalArgumentException.class, () -> ThoughtStyle.parse("terse"));
    }

    @Test
    void aMistakePropagatesToAConsistentWrongAnswer() {
        MathProblem p = new MathProblem(57, Operation.ADD, 68);
        Scratchpad s = Scratchpad.of(p, 0, 1);
        assertEquals("7+8+0=16|5+6+1=12|", s.thought());
        assertEquals("126", s.answer());
        Scratchpad carryChanged = Scratchpad.of(p, 0, -6);  // 15 -> 9: no carry into the tens
        assertEquals("7+8+0=9|5+6+0=11|", carryChanged.thought());
        assertEquals("119", carryChanged.answer());
        assertEquals(Scratchpad.of(p), Scratchpad.of(p, 5, 1), "column outside the scratchpad: no mistake");
    }

    @Test
    void splitsAreDisjointAndDeterministic() {
        MathTask task = new MathTask(EnumSet.allOf(Operation.class), 2, 3, 10);
        List<MathProblem> held = task.heldOut(200, 11);
        assertEquals(200, new HashSet<>(held).size());
        assertEquals(held, task.heldOut(200, 11));
        Set<MathProblem> heldSet = new HashSet<>(held);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 5000; i++) {
            MathProblem p = task.sampleTrain(rng);
            assertFalse(heldSet.contains(p), "training sampled a held-out problem " + p);
            assertTrue(p.digits() >= 2 && p.digits() <= 3);
        }
        for (MathProblem p : task.outOfDistribution(100, 2)) {
            assertEquals(4, Long.toString(p.a()).length(), p.toString());
        }
        assertNotEquals(task.heldOut(50, 1), task.heldOut(50, 2));
    }

    @Test
    void badConfigurationsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MathTask(EnumSet.of(Operation.ADD), 3, 2, 10));
        assertTrue(e.getMessage().contains("minDigits=3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MathTask(EnumSet.noneOf(Operation.class), 2, 3, 10));
        assertThrows(IllegalArgumentException.class, () -> Operation.parse("div"));
        assertThrows(IllegalArgumentException.class, () -> new MathProblem(3, Operation.SUB, 5));
    }
}
