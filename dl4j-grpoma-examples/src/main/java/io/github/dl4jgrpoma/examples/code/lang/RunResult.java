package io.github.dl4jgrpoma.examples.code.lang;

/**
 * The outcome of parsing or running a program: a value, or a failure with its cause and a message.
 *
 * @param value   the result; null on failure
 * @param failure the cause; null on success
 * @param message what went wrong (empty on success)
 * @param steps   evaluation steps used (0 when parsing failed)
 */
public record RunResult(Value value, FailureCause failure, String message, long steps) {

    /** Exactly one of value and failure is set. */
    public RunResult {
        if ((value == null) == (failure == null)) {
            throw new IllegalArgumentException("exactly one of value (" + value + ") and failure (" + failure
                    + ") must be set");
        }
        message = message == null ? "" : message;
    }

    static RunResult ok(Value value, long steps) {
        return new RunResult(value, null, "", steps);
    }

    static RunResult failed(FailureCause cause, String message, long steps) {
        return new RunResult(null, cause, message, steps);
    }

    /** True when the run produced a value. */
    public boolean ok() {
        return failure == null;
    }

    @Override
    public String toString() {
        return ok() ? "ok " + value + " (" + steps + " steps)" : failure + ": " + message;
    }
}
