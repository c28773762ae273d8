package io.github.dl4jgrpoma.examples.code.lang;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of fuzz programs: well-formed random expressions, adversarial shapes (deep nesting, huge
 * literals, infinite loops, exponential blow-up) and malformed text (random characters, mutations of
 * well-formed programs). The same seed gives the same programs.
 */
final class ProgramGenerator {
    private static final List<String> UNARY = List.of("len", "sum", "rev", "head", "tail", "abs");
    private static final List<String> BINARY = List.of("cons", "append", "range", "take", "drop", "min", "max");
    private static final List<String> OPS = List.of("+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=");
    private static final String CHARS = "()[],=<>+-*/%\\ xyab0123456789letinifthenelsemapfoldfilteruntil!$#\"'{}.;\n\u00e9";

    private final SplittableRandom rng;

    ProgramGenerator(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    /** A random input: an integer or a short list of integers. */
    Value input() {
        if (rng.nextBoolean()) {
            return Value.of(rng.nextLong(-50, 51));
        }
        long[] v = new long[rng.nextInt(0, 6)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextLong(-20, 21);
        }
        return Value.ofInts(v);
    }

    /** One fuzz program; about half well-formed, the rest adversarial or malformed. */
    String program() {
        int kind = rng.nextInt(100);
        if (kind < 45) {
            return expr(rng.nextInt(1, 6), List.of("x"));
        }
        if (kind < 60) {
            return mutate(expr(rng.nextInt(1, 5), List.of("x")));
        }
        if (kind < 68) {
            return noise(rng.nextInt(0, 40));
        }
        if (kind < 76) {
            return deep();
        }
        if (kind < 84) {
            return loop();
        }
        if (kind < 92) {
            return blowUp();
        }
        return hugeLiteral();
    }

    private String expr(int depth, List<String> names) {
        if (depth <= 0) {
            return rng.nextInt(3) == 0 ? Long.toString(rng.nextLong(-9, 100)) : pick(names);
        }
        int d = depth - 1;
        switch (rng.nextInt(12)) {
            case 0:
                return "(" + expr(d, names) + pick(OPS) + expr(d, names) + ")";
            case 1:
                return "if " + expr(d, names) + " then " + expr(d, names) + " else " + expr(d, names);
            case 2: {
                String v = "v" + depth;
                return "let " + v + " = " + expr(d, names) + " in " + expr(d, plus(names, v));
            }
            case 3:
                return "map(\\a->" + expr(d, plus(names, "a")) + "," + expr(d, names) + ")";
            case 4:
                return "filter(\\a->" + expr(d, plus(names, "a")) + "," + expr(d, names) + ")";
            case 5:
                return "fold(\\s,a->" + expr(d, plus(plus(names, "s"), "a")) + "," + expr(d, names) + ","
                        + expr(d, names) + ")";
            case 6:
                return pick(UNARY) + "(" + expr(d, names) + ")";
            case 7:
                return pick(BINARY) + "(" + expr(d, names) + "," + expr(d, names) + ")";
            case 8: {
                StringBuilder sb = new StringBuilder("[");
                int n = rng.nextInt(0, 4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(expr(d, names));
                }
                return sb.append(']').toString();
            }
            case 9:
                return "until(\\s->" + expr(d, plus(names, "s")) + ",\\s->" + expr(d, plus(names, "s")) + ","
                        + expr(d, names) + ")";
            case 10:
                return "let f = \\n->if n<1 then " + expr(d, names) + " else f(n-1)" + pick(OPS) + expr(d, plus(names, "n"))
                        + " in f(" + expr(d, names) + ")";
            default:
                return "-" + expr(d, names);
        }
    }

    private String deep() {
        int n = rng.nextInt(20) == 0 ? 100_000 : rng.nextInt(50, 3_000);
        switch (rng.nextInt(6)) {
            case 0: return "(".repeat(n) + "x" + ")".repeat(n);
            case 1: return "-".repeat(n) + "1";
            case 2: return "[".repeat(n) + "]".repeat(n);
            case 3: return "x" + "+1".repeat(n);
            case 4: return "\\a->".repeat(n) + "a";
            default: return "(".repeat(n) + "x";
        }
    }

    private String loop() {
        switch (rng.nextInt(5)) {
            case 0: return "until(\\s->0,\\s->s+1,0)";
            case 1: return "let f = \\n->f(n) in f(x)";
            case 2: return "let f = \\n->if 1 then f(n+1) else 0 in f(0)";
            case 3: return "until(\\s->s<0,\\s->map(\\a->a+1,s),[1,2,3])";
            default: return "let g = \\n->until(\\s->0,\\s->s,n) in map(g,range(0,9))";
        }
    }

    private String blowUp() {
        switch (rng.nextInt(5)) {
            case 0: return "until(\\s->len(s)>100000000,\\s->append(s,s),[1])";
            case 1: return "let f = \\n->if n==0 then 1 else f(n-1)+f(n-1) in f(" + rng.nextInt(10, 64) + ")";
            case 2: return "until(\\s->0,\\s->s*s+1,2)";
            case 3: return "until(\\s->0,\\s->[s,s],0)";
            default: return "range(0," + rng.nextLong(1_000, Long.MAX_VALUE) + ")";
        }
    }

    private String hugeLiteral() {
        int digits = rng.nextInt(3) == 0 ? 5_000 : rng.nextInt(15, 40);
        StringBuilder sb = new StringBuilder(rng.nextBoolean() ? "-" : "");
        for (int i = 0; i < digits; i++) {
            sb.append((char) ('0' + rng.nextInt(10)));
        }
        return rng.nextBoolean() ? sb.toString() : "x*" + sb + "+1";
    }

    private String mutate(String s) {
        StringBuilder sb = new StringBuilder(s);
        int edits = rng.nextInt(1, 4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = rng.nextInt(sb.length());
            switch (rng.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, CHARS.charAt(rng.nextInt(CHARS.length())));
                default -> sb.setCharAt(at, CHARS.charAt(rng.nextInt(CHARS.length())));
            }
        }
        return sb.toString();
    }

    private String noise(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(CHARS.charAt(rng.nextInt(CHARS.length())));
        }
        return sb.toString();
    }

    private String pick(List<String> xs) {
        return xs.get(rng.nextInt(xs.size()));
    }

    private static List<String> plus(List<String> names, String n) {
        return names.contains(n) ? names : java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of(n)).toList();
    }
}
