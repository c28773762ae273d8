package io.github.dl4jgrpoma.examples.code.lang;

/**
 * Internal unwinding signal of the parser and interpreter; {@link Sandbox} turns it into a
 * {@link RunResult}. No stack trace is filled in (it is control flow, thrown often by fuzzed programs).
 */
final class SandboxFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FailureCause cause;

    SandboxFailure(FailureCause cause, String message) {
        super(message, null, false, false);
        this.cause = cause;
    }

    FailureCause failureCause() {
        return cause;
    }
}
