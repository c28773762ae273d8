package io.github.dl4jgrpoma.examples.math;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded generator of multi-digit arithmetic problems with disjoint training, held-out and
 * out-of-distribution splits.
 *
 * <ul>
 *   <li>Operands of {@code +} and {@code -} have {@code minDigits..maxDigits} digits each (uniform digit count,
 *       then a uniform number of that length); {@code -} swaps them so that {@code a >= b}; {@code *} multiplies a
 *       {@code minDigits..maxDigits}-digit number by a digit in 2..9.</li>
 *   <li>Held-out: a problem is held out when a hash of {@code (a, op, b)} falls in the first
 *       {@code heldOutPercent} percent; training never samples it, evaluation only samples those.</li>
 *   <li>Out of distribution: operands with {@code maxDigits + 1} digits, never seen in training.</li>
 * </ul>
 *
 * @param operations     the operations to mix (uniformly)
 * @param minDigits      fewest operand digits, {@code >= 1}
 * @param maxDigits      most operand digits, {@code >= minDigits}, {@code <= 8}
 * @param heldOutPercent share of the problem space reserved for evaluation, 1..50
 */
public record MathTask(Set<Operation> operations, int minDigits, int maxDigits, int heldOutPercent) {
    /** The characters of prompts, scratchpads and answers; the tokenizer's alphabet. */
    public static final String ALPHABET = "0123456789+-*=|,";

    public MathTask {
        if (operations == null || operations.isEmpty()) {
            throw new IllegalArgumentException("MathTask.operations is empty: give at least one of add, sub, mul");
        }
        operations = java.util.Collections.unmodifiableSet(EnumSet.copyOf(operations));
        if (minDigits < 1 || maxDigits < minDigits || maxDigits > 8) {
            throw new IllegalArgumentException("MathTask digits must satisfy 1 <= minDigits <= maxDigits <= 8, got minDigits="
                    + minDigits + ", maxDigits=" + maxDigits + "; fix: " + (maxDigits < minDigits && minDigits >= 1
                    ? "make maxDigits at least minDigits" : "use digit counts in 1..8"));
        }
        if (heldOutPercent < 1 || heldOutPercent > 50) {
            throw new IllegalArgumentException("MathTask.heldOutPercent must be in [1, 50], got " + heldOutPercent);
        }
    }

    /**
     * Addition, subtraction and multiplication (by a digit) of 2-digit numbers, 10 % held out; the OOD slice
     * has 3-digit operands. Sized so that a small model warms up and improves with RL in minutes on 2 cores.
     */
    public static MathTask defaults() {
        return new MathTask(EnumSet.allOf(Operation.class), 2, 2, 10);
    }

    /** The operations in a fixed order (enum order), so sampling does not depend on set iteration order. */
    public List<Operation> operationList() {
        return List.copyOf(EnumSet.copyOf(operations));
    }

    /** True when the problem belongs to the held-out split (a pure function of the problem). */
    public boolean isHeldOut(MathProblem p) {
        long h = mix(p.a() * 1_000_003L + p.b() * 31L + p.op().ordinal());
        return Math.floorMod(h, 100) < heldOutPercent;
    }

    /** A training problem: in distribution and not held out. */
    public MathProblem sampleTrain(SplittableRandom rng) {
        while (true) {
            MathProblem p = sample(rng, minDigits, maxDigits);
            if (!isHeldOut(p)) {
                return p;
            }
        }
    }

    /** {@code n} distinct held-out problems of the training distribution, from {@code seed}. */
    public List<MathProblem> heldOut(int n, long seed) {
        return distinct(n, seed, minDigits, maxDigits, true);
    }

    /** {@code n} distinct problems with {@code maxDigits + 1}-digit operands, from {@code seed}. */
    public List<MathProblem> outOfDistribution(int n, long seed) {
        return distinct(n, seed, maxDigits + 1, maxDigits + 1, false);
    }

    /** Most scratchpad columns of a problem with operands of at most {@code digits} digits. */
    public static int maxColumns(int digits) {
        return digits;
    }

    /** Longest thought in characters for operands of at most {@code digits} digits (10 per column). */
    public static int maxThoughtChars(int digits) {
        return 10 * maxColumns(digits);
    }

    /** Longest answer in characters for operands of at most {@code digits} digits. */
    public static int maxAnswerChars(int digits) {
        return digits + 1;
    }

    /** Longest prompt in characters for operands of at most {@code digits} digits: {@code a op b =}. */
    public static int maxPromptChars(int digits) {
        return 2 * digits + 2;
    }

    private List<MathProblem> distinct(int n, long seed, int lo, int hi, boolean heldOutOnly) {
        if (n < 1) {
            throw new IllegalArgumentException("number of evaluation problems must be >= 1, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Set<MathProblem> out = new LinkedHashSet<>();
        int tries = 0;
        while (out.size() < n) {
            if (++tries > 1000 * n + 100_000) {
                throw new IllegalStateException("could not find " + n + " distinct evaluation problems with " + lo + ".." + hi
                        + " digits; ask for fewer or widen the digit range");
            }
            MathProblem p = sample(rng, lo, hi);
            if (!heldOutOnly || isHeldOut(p)) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    private MathProblem sample(SplittableRandom rng, int lo, int hi) {
        List<Operation> ops = operationList();
        Operation op = ops.get(rng.nextInt(ops.size()));
        long a = number(rng, lo + rng.nextInt(hi - lo + 1));
        if (op == Operation.MUL) {
            return new MathProblem(a, op, 2 + rng.nextInt(8));
        }
        long b = number(rng, lo + rng.nextInt(hi - lo + 1));
        if (op == Operation.SUB && a < b) {
            long t = a;
            a = b;
            b = t;
        }
        return new MathProblem(a, op, b);
    }

    private static long number(SplittableRandom rng, int digits) {
        long low = digits == 1 ? 0 : pow10(digits - 1);
        return low + rng.nextLong(pow10(digits) - low);
    }

    private static long pow10(int d) {
        long x = 1;
        for (int i = 0; i < d; i++) {
            x *= 10;
        }
        return x;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
