package io.github.dl4jgrpoma.examples.code.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Fuzzes the sandbox with 10,000 seeded programs (100 batches of 100; the batch index is the seed): every run
 * returns a result (no exception or error escapes), none takes longer than the time limit plus scheduling
 * slack, and a second sandbox gives the identical result (value, cause, message and step count). Fuel is
 * 5,000 steps here (the default is 20,000) to keep the suite fast; the limits work the same at any size.
 */
class SandboxFuzzTest {
    static final int BATCHES = 100;
    static final int PER_BATCH = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long SLACK_MS = 1_500;
    private static final Map<FailureCause, Integer> CAUSES = new EnumMap<>(FailureCause.class);
    private static int succeeded;
    private static long totalNanos;

    // long texts allowed so that 100k-deep nesting reaches the parser rather than the length check
    private final SandboxLimits limits = SandboxLimits.defaults().withFuel(5_000).withMaxProgramChars(300_000).withTimeout(TIMEOUT);

    @TestFactory
    Stream<DynamicTest> randomAndAdversarialPrograms() {
        return IntStream.range(0, BATCHES).mapToObj(b -> DynamicTest.dynamicTest("seed " + b, () -> batch(b)));
    }

    private void batch(long seed) {
        ProgramGenerator gen = new ProgramGenerator(seed);
        Sandbox first = new Sandbox(limits);
        Sandbox second = new Sandbox(limits);
        for (int i = 0; i < PER_BATCH; i++) {
            String src = gen.program();
            Value input = gen.input();
            RunResult a;
            RunResult b;
            long t0 = System.nanoTime();
            try {
                a = first.run(src, input);
            } catch (Throwable t) {
                fail("uncaught " + t + " on seed " + seed + " program " + i + ": " + excerpt(src), t);
                return;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms <= TIMEOUT.toMillis() + SLACK_MS, "took " + ms + " ms: " + excerpt(src));
            b = second.run(src, input);
            assertEquals(a.toString(), b.toString(), "rerun differs on seed " + seed + " program " + i + ": " + excerpt(src));
            assertTrue(a.failure() != FailureCause.TIMEOUT, "fuel should bind before the clock: " + excerpt(src));
            record(a, System.nanoTime() - t0);
        }
    }

    private static synchronized void record(RunResult r, long nanos) {
        totalNanos += nanos;
        if (r.ok()) {
            succeeded++;
        } else {
            CAUSES.merge(r.failure(), 1, Integer::sum);
        }
    }

    @AfterAll
    static void everyCauseWasExercised() {
        int total = succeeded + CAUSES.values().stream().mapToInt(Integer::intValue).sum();
        if (total == BATCHES * PER_BATCH) {
            System.out.println("fuzz: " + total + " programs, " + succeeded + " values, failures " + CAUSES + ", "
                    + totalNanos / 1_000_000 + " ms in the sandbox (both runs)");
            for (FailureCause c : FailureCause.values()) {
                if (c != FailureCause.TIMEOUT) {
                    assertTrue(CAUSES.getOrDefault(c, 0) > 0, "no fuzz program failed with " + c + ": " + CAUSES);
                }
            }
            assertTrue(succeeded > total / 20, "too few programs ran to a value: " + succeeded + " " + CAUSES);

        }
    }

    private static String excerpt(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "... (" + s.length() + " chars)" : s;
    }
}
