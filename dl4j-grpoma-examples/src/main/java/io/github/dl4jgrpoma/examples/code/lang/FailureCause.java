package io.github.dl4jgrpoma.examples.code.lang;

/**
 * Why a sandboxed run did not produce a value. Every failure of {@link Sandbox} is one of these; nothing
 * else leaves the sandbox (no exception, no {@link StackOverflowError}).
 */
public enum FailureCause {
    /** The text is not a program of the language (bad token, unexpected token, missing part). */
    PARSE,
    /** The run used more evaluation steps than {@link SandboxLimits#fuel()}. */
    FUEL,
    /** Nesting of the program text or of evaluation (calls, recursion) passed {@link SandboxLimits#maxDepth()}. */
    DEPTH,
    /**
     * A value or the text passed a size limit: program length, list length, list nesting, or 64-bit
     * integer overflow (including an integer literal that does not fit).
     */
    SIZE,
    /** The run took longer than {@link SandboxLimits#timeout()} of wall-clock time. */
    TIMEOUT,
    /** A well-formed program went wrong: unknown name, wrong type or arity, division by zero, empty list. */
    RUNTIME
}
