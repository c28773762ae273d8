package io.github.dl4jgrpoma.examples.code.lang;

import java.time.Duration;

/**
 * Per-run limits of the {@link Sandbox}. Every limit is checked before the work it bounds is done, so a
 * run never allocates more than about {@code fuel} values, never nests Java calls deeper than a small
 * multiple of {@code maxDepth}, and stops within one check interval (1,024 steps) after its deadline.
 *
 * @param fuel            evaluation steps per run: one per expression evaluated, per list element created or
 *                        visited by a built-in, per loop iteration; {@code >= 1}
 * @param maxDepth        nesting limit for the program text (parser) and for evaluation (expression nesting
 *                        plus function calls, so recursion depth too); {@code 1..4096}: deeper limits could
 *                        reach the Java stack, which the sandbox also guards against but should not rely on
 * @param maxListLength   longest list a run may create; {@code >= 1}
 * @param maxListNesting  deepest nesting of lists inside lists; {@code >= 1}
 * @param maxProgramChars longest accepted program text; {@code >= 1}
 * @param timeout         wall-clock limit per run; positive
 */
public record SandboxLimits(long fuel, int maxDepth, int maxListLength, int maxListNesting, int maxProgramChars,
                            Duration timeout) {

    /** Validates every field, naming it and its value. */
    public SandboxLimits {
        if (fuel < 1) {
            throw new IllegalArgumentException("fuel must be >= 1 but was " + fuel + "; fix: e.g. 100000");
        }
        if (maxDepth < 1 || maxDepth > 4096) {
            throw new IllegalArgumentException("maxDepth must be in 1..4096 but was " + maxDepth + "; fix: e.g. 200");
        }
        if (maxListLength < 1) {
            throw new IllegalArgumentException("maxListLength must be >= 1 but was " + maxListLength + "; fix: e.g. 1000");
        }
        if (maxListNesting < 1) {
            throw new IllegalArgumentException("maxListNesting must be >= 1 but was " + maxListNesting + "; fix: e.g. 8");
        }
        if (maxProgramChars < 1) {
            throw new IllegalArgumentException("maxProgramChars must be >= 1 but was " + maxProgramChars
                    + "; fix: e.g. 2000");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout + "; fix: e.g. 100 ms");
        }
    }

    /**
     * The defaults (our choice, sized for short synthesised programs on lists of a few elements): 20,000
     * steps, depth 200, lists up to 1,000 elements nested up to 8 deep, programs up to 2,000 characters,
     * 1 s. The fuel binds first (20,000 steps take a few milliseconds even before the JIT warms up), so
     * results are deterministic; the clock is the guard for what fuel does not count.
     */
    public static SandboxLimits defaults() {
        return new SandboxLimits(20_000, 200, 1_000, 8, 2_000, Duration.ofSeconds(1));
    }

    /** A copy with another fuel. */
    public SandboxLimits withFuel(long v) {
        return new SandboxLimits(v, maxDepth, maxListLength, maxListNesting, maxProgramChars, timeout);
    }

    /** A copy with another depth limit. */
    public SandboxLimits withMaxDepth(int v) {
        return new SandboxLimits(fuel, v, maxListLength, maxListNesting, maxProgramChars, timeout);
    }

    /** A copy with another program length limit. */
    public SandboxLimits withMaxProgramChars(int v) {
        return new SandboxLimits(fuel, maxDepth, maxListLength, maxListNesting, v, timeout);
    }

    /** A copy with another timeout. */
    public SandboxLimits withTimeout(Duration v) {
        return new SandboxLimits(fuel, maxDepth, maxListLength, maxListNesting, maxProgramChars, v);
    }
}
