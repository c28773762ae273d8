package io.github.dl4jgrpoma.examples.code;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import io.github.dl4jgrpoma.examples.code.lang.FailureCause;
import io.github.dl4jgrpoma.examples.code.lang.Program;
import io.github.dl4jgrpoma.examples.code.lang.RunResult;
import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;

/**
 * The code task's reward: {@code total = tests + parseWeight * parses}, where {@code tests} is the fraction of
 * the hidden tests (metadata {@value #TESTS}) on which the answer program's output equals the expected value,
 * and {@code parses} is 1 when the answer parses. A program that breaks a sandbox limit scores 0 on that test;
 * every failed run is counted by {@link FailureCause} (thread-safe counters, read with {@link #failures()}).
 */
public final class CodeRewards {
    /** Name of the tests reward; the trainer's accuracy metric reads it (accuracy = all tests passed). */
    public static final String TESTS = "tests";
    /** Name of the parse reward. */
    public static final String PARSES = "parses";

    private final Sandbox sandbox;
    private final AtomicLongArray failures = new AtomicLongArray(FailureCause.values().length);

    /** @param sandbox where answers run */
    public CodeRewards(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** The composite reward with the given weight of the parse term (for example 0.1). */
    public CompositeReward create(double parseWeight) {
        if (!(parseWeight >= 0) || !Double.isFinite(parseWeight)) {
            throw new IllegalArgumentException("parse reward weight must be finite and >= 0, got " + parseWeight);
        }
        return CompositeReward.builder()
                .add(RewardFunction.of(TESTS, ctx -> passRate(ctx.answer(), ctx.requireMetadata(TESTS))), 1.0)
                .add(RewardFunction.of(PARSES, ctx -> parses(ctx.answer()) ? 1.0 : 0.0), parseWeight)
                .build();
    }

    /** True when {@code program} parses. */
    public boolean parses(String program) {
        return sandbox.parse(program).parsed();
    }

    /** Fraction of the tests ({@code in|out;in|out}) the program passes; failed runs are counted. */
    public double passRate(String program, String tests) {
        Program p = sandbox.parse(program);
        String[] cases = tests.split(";");
        int passed = 0;
        for (String c : cases) {
            int bar = c.indexOf('|');
            RunResult r = sandbox.run(p, CodeTask.literal(c.substring(0, bar)));
            if (!r.ok()) {
                failures.incrementAndGet(r.failure().ordinal());
                if (!p.parsed()) {
                    break;
                }
            } else if (r.value().equals(CodeTask.literal(c.substring(bar + 1)))) {
                passed++;
            }
        }
        return passed / (double) cases.length;
    }

    /** Failed sandbox runs so far, by cause (a program that does not parse counts once). */
    public Map<FailureCause, Long> failures() {
        Map<FailureCause, Long> out = new EnumMap<>(FailureCause.class);
        for (FailureCause c : FailureCause.values()) {
            out.put(c, failures.get(c.ordinal()));
        }
        return out;
    }
}
