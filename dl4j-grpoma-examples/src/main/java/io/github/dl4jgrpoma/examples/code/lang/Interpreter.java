package io.github.dl4jgrpoma.examples.code.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates one program run under {@link SandboxLimits}. Not thread-safe: one instance per run.
 *
 * <p>Every {@link #eval} costs one step of fuel and one level of depth for its duration; built-ins pay one
 * step per element they visit or create, loops one per iteration. Every 1,024 steps the wall clock and the
 * thread's interrupt flag are checked. Integers are 64-bit; an overflowing {@code + - * /} or {@code -x}
 * is a SIZE failure (never a silent wrap). Division and remainder round toward negative infinity
 * ({@link Math#floorDiv}, {@link Math#floorMod}).
 */
final class Interpreter {
    private static final int CLOCK_CHECK_MASK = 1023;

    private final SandboxLimits limits;
    private final long deadlineNanos;
    private long fuelLeft;
    private long steps;
    private int depth;

    Interpreter(SandboxLimits limits, long startNanos) {
        this.limits = limits;
        this.deadlineNanos = startNanos + limits.timeout().toNanos();
        this.fuelLeft = limits.fuel();
    }

    long steps() {
        return steps;
    }

    Value eval(Node node, Env env) {
        step();
        if (++depth > limits.maxDepth()) {
            throw new SandboxFailure(FailureCause.DEPTH, "evaluation nests deeper than " + limits.maxDepth()
                    + " (deep expression or recursion)");
        }
        try {
            return evalNode(node, env);
        } finally {
            depth--;
        }
    }

    private Value evalNode(Node node, Env env) {
        if (node instanceof Node.Num n) {
            return new Value.Int(n.value());
        }
        if (node instanceof Node.Var v) {
            Value bound = Env.lookup(env, v.name());
            if (bound != null) {
                return bound;
            }
            Builtin b = Builtin.named(v.name());
            if (b == null) {
                throw runtime("unknown name '" + v.name() + "'");
            }
            return FunctionValue.builtin(b);
        }
        if (node instanceof Node.Binary b) {
            long l = integer(eval(b.left(), env), b.op().symbol());
            long r = integer(eval(b.right(), env), b.op().symbol());
            return new Value.Int(arithmetic(b.op(), l, r));
        }
        if (node instanceof Node.Neg n) {
            long v = integer(eval(n.operand(), env), "-");
            if (v == Long.MIN_VALUE) {
                throw overflow("-");
            }
            return new Value.Int(-v);
        }
        if (node instanceof Node.If i) {
            boolean c = integer(eval(i.condition(), env), "if") != 0;
            return eval(c ? i.then() : i.otherwise(), env);
        }
        if (node instanceof Node.Let let) {
            Value value;
            Env inner;
            if (let.value() instanceof Node.Lambda lam) {
                FunctionValue f = FunctionValue.lambda(lam.params(), lam.body(), env);
                inner = new Env(let.name(), f, env);
                f.env = inner;
                value = f;
            } else {
                value = eval(let.value(), env);
                inner = new Env(let.name(), value, env);
            }
            return eval(let.body(), inner);
        }
        if (node instanceof Node.Lambda lam) {
            return FunctionValue.lambda(lam.params(), lam.body(), env);
        }
        if (node instanceof Node.ListLit lit) {
            checkLength(lit.items().size());
            List<Value> items = new ArrayList<>(lit.items().size());
            for (Node item : lit.items()) {
                items.add(eval(item, env));
            }
            return list(items);
        }
        Node.Call call = (Node.Call) node;
        Value fn = eval(call.function(), env);
        List<Value> args = new ArrayList<>(call.args().size());
        for (Node a : call.args()) {
            args.add(eval(a, env));
        }
        return apply(fn, args);
    }

    private Value apply(Value fn, List<Value> args) {
        if (!(fn instanceof FunctionValue f)) {
            throw runtime("cannot call " + describe(fn) + "; only functions can be called");
        }
        if (f.arity() != args.size()) {
            throw runtime("function " + f + " takes " + f.arity() + " arguments but got " + args.size());
        }
        if (f.builtin != null) {
            return Builtins.apply(this, f.builtin, args);
        }
        Env env = f.env;
        for (int i = 0; i < args.size(); i++) {
            env = new Env(f.params.get(i), args.get(i), env);
        }
        return eval(f.body, env);
    }

    /** Calls a function value from a built-in. */
    Value call(Value fn, Value... args) {
        return apply(fn, List.of(args));
    }

    /** One step of fuel; every 1,024 steps the clock and the interrupt flag. */
    void step() {
        steps++;
        if (--fuelLeft < 0) {
            throw new SandboxFailure(FailureCause.FUEL, "ran out of fuel after " + limits.fuel() + " steps");
        }
        if ((steps & CLOCK_CHECK_MASK) == 0) {
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new SandboxFailure(FailureCause.TIMEOUT, "ran longer than " + limits.timeout().toMillis()
                        + " ms (" + steps + " steps)");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new SandboxFailure(FailureCause.TIMEOUT, "interrupted after " + steps + " steps");
            }
        }
    }

    /** Refuses a list longer than the limit before it is built. */
    void checkLength(long length) {
        if (length > limits.maxListLength()) {
            throw new SandboxFailure(FailureCause.SIZE, "list of " + length + " elements is longer than the limit "
                    + limits.maxListLength());
        }
    }

    /** A list value from built items, checking nesting. */
    Value list(List<Value> items) {
        checkLength(items.size());
        Value.Lst l = new Value.Lst(items);
        if (l.nesting() > limits.maxListNesting()) {
            throw new SandboxFailure(FailureCause.SIZE, "lists nest deeper than the limit " + limits.maxListNesting());
        }
        return l;
    }

    static long integer(Value v, String where) {
        if (v instanceof Value.Int i) {
            return i.value();
        }
        throw runtime("'" + where + "' needs an integer but got " + describe(v));
    }

    static List<Value> items(Value v, String where) {
        if (v instanceof Value.Lst l) {
            return l.items();
        }
        throw runtime("'" + where + "' needs a list but got " + describe(v));
    }

    static String describe(Value v) {
        if (v instanceof Value.Int) {
            return "an integer";
        }
        return v instanceof Value.Lst ? "a list" : "a function";
    }

    static SandboxFailure runtime(String message) {
        return new SandboxFailure(FailureCause.RUNTIME, message);
    }

    static SandboxFailure overflow(String op) {
        return new SandboxFailure(FailureCause.SIZE, "integer overflow in '" + op + "' (64-bit signed)");
    }

    private static long arithmetic(BinaryOp op, long l, long r) {
        try {
            switch (op) {
                case ADD: return Math.addExact(l, r);
                case SUB: return Math.subtractExact(l, r);
                case MUL: return Math.multiplyExact(l, r);
                case DIV:
                    if (r == 0) {
                        throw runtime("division by zero");
                    }
                    if (l == Long.MIN_VALUE && r == -1) {
                        throw overflow("/");
                    }
                    return Math.floorDiv(l, r);
                case MOD:
                    if (r == 0) {
                        throw runtime("remainder by zero");
                    }
                    return Math.floorMod(l, r);
                case EQ: return l == r ? 1 : 0;
                case NE: return l != r ? 1 : 0;
                case LT: return l < r ? 1 : 0;
                case LE: return l <= r ? 1 : 0;
                case GT: return l > r ? 1 : 0;
                default: return l >= r ? 1 : 0;
            }
        } catch (ArithmeticException e) {
            throw overflow(op.symbol());
        }
    }
}
