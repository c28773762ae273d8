package io.github.dl4jgrpoma.examples.code;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The families of unknown functions of the code task. Each family has one or two integer parameters, a
 * reference program in the sandbox language (the function is defined by running it), a short thought that
 * states the pattern the examples show, and an input distribution (lists of 1 to 3 digits, or one digit).
 */
public enum CodeFamily {
    /** {@code f(xs) = [c*a | a in xs]}, c in 2..6; thought {@code ratio c}. */
    SCALE(2, 6, 0, 0, true),
    /** {@code f(xs) = [a+c | a in xs]}, c in 1..9; thought {@code diff c}. */
    SHIFT(1, 9, 0, 0, true),
    /** {@code f(xs) = [a | a in xs, a > c]}, c in 1..7; thought {@code keep>c}. */
    KEEP_ABOVE(1, 7, 0, 0, true),
    /** {@code f(n) = a*n+b}, a in 2..5, b in 1..9; thought {@code slope a add b}. */
    AFFINE(2, 5, 1, 9, false),
    /** {@code f(xs) = c * sum(xs)}, c in 2..6; thought {@code sum*c}. */
    WEIGHTED_SUM(2, 6, 0, 0, true);

    private final int lo;
    private final int hi;
    private final int lo2;
    private final int hi2;
    private final boolean listInput;

    CodeFamily(int lo, int hi, int lo2, int hi2, boolean listInput) {
        this.lo = lo;
        this.hi = hi;
        this.lo2 = lo2;
        this.hi2 = hi2;
        this.listInput = listInput;
    }

    /** Lower-case name with dashes, as in reports. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A random parameter pair in range (the second is 0 for one-parameter families). */
    int[] sampleParams(SplittableRandom rng) {
        return new int[] {rng.nextInt(lo, hi + 1), hi2 == 0 ? 0 : rng.nextInt(lo2, hi2 + 1)};
    }

    /** The reference program. */
    String program(int[] p) {
        switch (this) {
            case SCALE: return "map(\\a->a*" + p[0] + ",x)";
            case SHIFT: return "map(\\a->a+" + p[0] + ",x)";
            case KEEP_ABOVE: return "filter(\\a->a>" + p[0] + ",x)";
            case AFFINE: return "x*" + p[0] + "+" + p[1];
            default: return "fold(\\s,a->s+a*" + p[0] + ",0,x)";
        }
    }

    /** The thought: the pattern, in a few characters. */
    String thought(int[] p) {
        switch (this) {
            case SCALE: return "ratio " + p[0];
            case SHIFT: return "diff " + p[0];
            case KEEP_ABOVE: return "keep>" + p[0];
            case AFFINE: return "slope " + p[0] + " add " + p[1];
            default: return "sum*" + p[0];
        }
    }

    /**
     * {@code count} distinct inputs as source text. The first two shown inputs pin the parameter down:
     * they hold a non-zero element (ratios, sums), and for KEEP_ABOVE the values c and c+1.
     */
    List<String> inputs(int[] p, int count, SplittableRandom rng) {
        List<String> out = new ArrayList<>();
        int guard = 0;
        while (out.size() < count && guard++ < 1000) {
            String in;
            if (!listInput) {
                in = Integer.toString(rng.nextInt(0, 10));
            } else {
                int n = rng.nextInt(1, 4);
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rng.nextInt(0, 10);
                }
                if (out.size() < 2) {
                    v[rng.nextInt(n)] = this == KEEP_ABOVE ? p[0] + out.size() : rng.nextInt(1, 10);
                }
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(v[i]);
                }
                in = sb.append(']').toString();
            }
            if (!out.contains(in)) {
                out.add(in);
            }
        }
        return out;
    }
}
