package io.github.dl4jgrpoma.examples.code.lang;

import java.util.ArrayList;
import java.util.List;

/** The built-in functions; each pays fuel per element it visits or creates and checks list length first. */
final class Builtins {
    private Builtins() {
    }

    static Value apply(Interpreter in, Builtin b, List<Value> a) {
        String id = b.id();
        switch (b) {
            case MAP: {
                List<Value> xs = Interpreter.items(a.get(1), id);
                List<Value> out = new ArrayList<>(xs.size());
                for (Value x : xs) {
                    in.step();
                    out.add(in.call(a.get(0), x));
                }
                return in.list(out);
            }
            case FILTER: {
                List<Value> xs = Interpreter.items(a.get(1), id);
                List<Value> out = new ArrayList<>();
                for (Value x : xs) {
                    in.step();
                    if (Interpreter.integer(in.call(a.get(0), x), "filter predicate") != 0) {
                        out.add(x);
                    }
                }
                return in.list(out);
            }
            case FOLD: {
                Value acc = a.get(1);
                for (Value x : Interpreter.items(a.get(2), id)) {
                    in.step();
                    acc = in.call(a.get(0), acc, x);
                }
                return acc;
            }
            case UNTIL: {
                Value state = a.get(2);
                while (Interpreter.integer(in.call(a.get(0), state), "until predicate") == 0) {
                    in.step();
                    state = in.call(a.get(1), state);
                }
                return state;
            }
            case LEN:
                return new Value.Int(Interpreter.items(a.get(0), id).size());
            case SUM: {
                long s = 0;
                for (Value x : Interpreter.items(a.get(0), id)) {
                    in.step();
                    try {
                        s = Math.addExact(s, Interpreter.integer(x, id));
                    } catch (ArithmeticException e) {
                        throw Interpreter.overflow(id);
                    }
                }
                return new Value.Int(s);
            }
            case REV: {
                List<Value> xs = Interpreter.items(a.get(0), id);
                List<Value> out = new ArrayList<>(xs.size());
                for (int i = xs.size() - 1; i >= 0; i--) {
                    in.step();
                    out.add(xs.get(i));
                }
                return in.list(out);
            }
            case HEAD: {
                List<Value> xs = Interpreter.items(a.get(0), id);
                if (xs.isEmpty()) {
                    throw Interpreter.runtime("head of an empty list");
                }
                return xs.get(0);
            }
            case TAIL: {
                List<Value> xs = Interpreter.items(a.get(0), id);
                if (xs.isEmpty()) {
                    throw Interpreter.runtime("tail of an empty list");
                }
                return slice(in, xs, 1, xs.size());
            }
            case CONS: {
                List<Value> xs = Interpreter.items(a.get(1), id);
                in.checkLength(xs.size() + 1L);
                List<Value> out = new ArrayList<>(xs.size() + 1);
                out.add(a.get(0));
                return in.list(copyInto(in, xs, out));
            }
            case APPEND: {
                List<Value> xs = Interpreter.items(a.get(0), id);
                List<Value> ys = Interpreter.items(a.get(1), id);
                in.checkLength((long) xs.size() + ys.size());
                List<Value> out = new ArrayList<>(xs.size() + ys.size());
                return in.list(copyInto(in, ys, copyInto(in, xs, out)));
            }
            case RANGE: {
                long from = Interpreter.integer(a.get(0), id);
                long to = Interpreter.integer(a.get(1), id);
                if (to <= from) {
                    return in.list(List.of());
                }
                in.checkLength(to - from < 0 ? Long.MAX_VALUE : to - from);
                List<Value> out = new ArrayList<>((int) (to - from));
                for (long v = from; v < to; v++) {
                    in.step();
                    out.add(new Value.Int(v));
                }
                return in.list(out);
            }
            case TAKE: {
                long n = Interpreter.integer(a.get(0), id);
                List<Value> xs = Interpreter.items(a.get(1), id);
                return slice(in, xs, 0, (int) Math.max(0, Math.min(n, xs.size())));
            }
            case DROP: {
                long n = Interpreter.integer(a.get(0), id);
                List<Value> xs = Interpreter.items(a.get(1), id);
                return slice(in, xs, (int) Math.max(0, Math.min(n, xs.size())), xs.size());
            }
            case MIN:
                return new Value.Int(Math.min(Interpreter.integer(a.get(0), id), Interpreter.integer(a.get(1), id)));
            case MAX:
                return new Value.Int(Math.max(Interpreter.integer(a.get(0), id), Interpreter.integer(a.get(1), id)));
            default: {
                long v = Interpreter.integer(a.get(0), id);
                if (v == Long.MIN_VALUE) {
                    throw Interpreter.overflow(id);
                }
                return new Value.Int(Math.abs(v));
            }
        }
    }

    private static Value slice(Interpreter in, List<Value> xs, int from, int to) {
        return in.list(copyInto(in, xs.subList(from, to), new ArrayList<>(to - from)));
    }

    private static List<Value> copyInto(Interpreter in, List<Value> from, List<Value> to) {
        for (Value v : from) {
            in.step();
            to.add(v);
        }
        return to;
    }
}
