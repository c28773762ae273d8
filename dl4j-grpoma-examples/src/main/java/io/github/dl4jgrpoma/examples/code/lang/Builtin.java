package io.github.dl4jgrpoma.examples.code.lang;

/** The built-in functions with their arities (semantics in {@link Interpreter} and docs/CODE-LANGUAGE.md). */
enum Builtin {
    MAP("map", 2), FILTER("filter", 2), FOLD("fold", 3), UNTIL("until", 3), LEN("len", 1), SUM("sum", 1),
    REV("rev", 1), HEAD("head", 1), TAIL("tail", 1), CONS("cons", 2), APPEND("append", 2), RANGE("range", 2),
    TAKE("take", 2), DROP("drop", 2), MIN("min", 2), MAX("max", 2), ABS("abs", 1);

    private final String id;
    private final int arity;

    Builtin(String id, int arity) {
        this.id = id;
        this.arity = arity;
    }

    String id() {
        return id;
    }

    int arity() {
        return arity;
    }

    static Builtin named(String name) {
        for (Builtin b : values()) {
            if (b.id.equals(name)) {
                return b;
            }
        }
        return null;
    }
}
