package io.github.dl4jgrpoma.examples.math;

/**
 * One arithmetic problem {@code a op b}. Subtraction keeps {@code a >= b} (no negative answers) and
 * multiplication has a one-digit {@code b}, so every problem has a short column-by-column scratchpad.
 *
 * @param a  first operand, {@code >= 0}
 * @param op the operation
 * @param b  second operand, {@code >= 0}
 */
public record MathProblem(long a, Operation op, long b) {
    public MathProblem {
        if (a < 0 || b < 0) {
            throw new IllegalArgumentException("operands must be >= 0, got " + a + " and " + b);
        }
        if (op == Operation.SUB && a < b) {
            throw new IllegalArgumentException("subtraction needs a >= b, got " + a + " - " + b);
        }
        if (op == Operation.MUL && b > 9) {
            throw new IllegalArgumentException("multiplication takes a one-digit second operand, got " + b);
        }
    }

    /** The exact result. */
    public long answer() {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
        };
    }

    /** The prompt text, for example {@code "57+68="}. */
    public String promptText() {
        return Long.toString(a) + op.symbol() + b + "=";
    }

    /** Number of digits of the larger operand: the size class used for held-out and out-of-distribution splits. */
    public int digits() {
        return Long.toString(Math.max(a, b)).length();
    }
}
