package io.github.dl4jgrpoma.examples.math;

/**
 * The chain-of-thought format of the math task: one column per digit of the result, least significant
 * first, each ended by {@code '|'}.
 * <ul>
 *   <li>addition, column {@code x+y+c=s}: digits x, y, incoming carry c, column sum s (the digit is
 *       {@code s % 10}, the next carry {@code s / 10}); {@code 57+68}: {@code 7+8+0=15|5+6+1=12|} -> {@code 125}</li>
 *   <li>subtraction, column {@code x-y-c=d,b}: digit d and outgoing borrow b; {@code 65-28}:
 *       {@code 5-8-0=7,1|6-2-1=3,0|} -> {@code 37}</li>
 *   <li>multiplication by a digit, column {@code x*y+c=s}; {@code 57*8}: {@code 7*8+0=56|5*8+5=45|} -> {@code 456}</li>
 * </ul>
 * The answer is read off the scratchpad (column digits in reverse, then a final carry), so a scratchpad
 * with a mistake yields the answer that mistake implies: SFT traces with mistakes teach a consistent but
 * imperfect policy that GRPO-MA can then correct.
 *
 * @param thought the scratchpad text
 * @param answer  the answer text the scratchpad implies
 */
public record Scratchpad(String thought, String answer) {

    /** The correct scratchpad of a problem. */
    public static Scratchpad of(MathProblem p) {
        return of(p, -1, 0);
    }

    /** The correct scratchpad of a problem in the given style. */
    public static Scratchpad of(MathProblem p, ThoughtStyle style) {
        return of(p, -1, 0, style);
    }

    /** A scratchpad with a mistake (as {@link #of(MathProblem, int, int)}) in the given style. */
    public static Scratchpad of(MathProblem p, int mistakeColumn, int mistakeDelta, ThoughtStyle style) {
        return style == ThoughtStyle.FULL ? of(p, mistakeColumn, mistakeDelta) : noCarry(p, mistakeColumn, mistakeDelta);
    }

    /**
     * {@link ThoughtStyle#NO_CARRY}: columns {@code x+y=s}, {@code x-y=r} (r may be negative) or {@code x*y=s}
     * without carries; the answer applies them: {@code v_i = s_i + c_i}, digit {@code floorMod(v_i, 10)},
     * {@code c_(i+1) = floorDiv(v_i, 10)}. A mistake shifts one column result by the delta.
     */
    static Scratchpad noCarry(MathProblem p, int mistakeColumn, int mistakeDelta) {
        String as = Long.toString(p.a());
        String bs = Long.toString(p.b());
        int columns = columns(p);
        StringBuilder thought = new StringBuilder();
        StringBuilder digits = new StringBuilder();
        int carry = 0;
        for (int i = 0; i < columns; i++) {
            int x = digitAt(as, i);
            int y = p.op() == Operation.MUL ? (int) p.b() : digitAt(bs, i);
            int s = switch (p.op()) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
            };
            if (i == mistakeColumn && mistakeDelta != 0) {
                s += mistakeDelta;
            }
            thought.append(x).append(p.op().symbol()).append(y).append('=').append(s).append('|');
            int v = s + carry;
            digits.append(Math.floorMod(v, 10));
            carry = Math.floorDiv(v, 10);
        }
        String answer = digits.reverse().toString();
        if (carry > 0) {
            answer = carry + answer;
        } else if (carry < 0) {
            answer = "-" + answer;     // only after a mistake: a > b guarantees no final borrow
        }
        answer = answer.replaceFirst("^(-?)0+(?=.)", "$1");
        return new Scratchpad(thought.toString(), answer);
    }

    /**
     * A scratchpad whose column {@code mistakeColumn} (0 = units) writes a column result off by
     * {@code mistakeDelta}; later columns continue consistently from the wrong value. A column index
     * outside the scratchpad, or delta 0, gives the correct scratchpad.
     */
    public static Scratchpad of(MathProblem p, int mistakeColumn, int mistakeDelta) {
        String as = Long.toString(p.a());
        String bs = Long.toString(p.b());
        int columns = p.op() == Operation.MUL ? as.length() : Math.max(as.length(), bs.length());
        StringBuilder thought = new StringBuilder();
        StringBuilder digits = new StringBuilder();
        int carry = 0;
        for (int i = 0; i < columns; i++) {
            int x = digitAt(as, i);
            boolean wrong = i == mistakeColumn && mistakeDelta != 0;
            switch (p.op()) {
                case ADD -> {
                    int y = digitAt(bs, i);
                    int s = x + y + carry;
                    if (wrong) {
                        s = Math.floorMod(s + mistakeDelta, 20);
                    }
                    thought.append(x).append('+').append(y).append('+').append(carry).append('=').append(s).append('|');
                    digits.append(s % 10);
                    carry = s / 10;
                }
                case SUB -> {
                    int y = digitAt(bs, i);
                    int r = x - y - carry;
                    int borrow = r < 0 ? 1 : 0;
                    int d = r + 10 * borrow;
                    if (wrong) {
                        d = Math.floorMod(d + mistakeDelta, 10);
                    }
                    thought.append(x).append('-').append(y).append('-').append(carry).append('=').append(d).append(',')
                            .append(borrow).append('|');
                    digits.append(d);
                    carry = borrow;
                }
                case MUL -> {
                    int y = (int) p.b();
                    int s = x * y + carry;
                    if (wrong) {
                        s = Math.floorMod(s + mistakeDelta, 90);
                    }
                    thought.append(x).append('*').append(y).append('+').append(carry).append('=').append(s).append('|');
                    digits.append(s % 10);
                    carry = s / 10;
                }
                default -> throw new IllegalStateException("unreachable");
            }
        }
        if (carry > 0 && p.op() != Operation.SUB) {
            digits.append(carry);
        }
        String answer = digits.reverse().toString().replaceFirst("^0+(?=.)", "");
        return new Scratchpad(thought.toString(), answer);
    }

    /** Number of columns of the scratchpad of {@code p}. */
    public static int columns(MathProblem p) {
        String as = Long.toString(p.a());
        return p.op() == Operation.MUL ? as.length() : Math.max(as.length(), Long.toString(p.b()).length());
    }

    private static int digitAt(String number, int fromRight) {
        int idx = number.length() - 1 - fromRight;
        return idx >= 0 ? number.charAt(idx) - '0' : 0;
    }
}
