package io.github.dl4jgrpoma.examples.code.lang;

/** The binary operators, with their source symbols. All take integers; comparisons return 1 or 0. */
enum BinaryOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    String symbol() {
        return symbol;
    }

    static BinaryOp ofSymbol(String s) {
        for (BinaryOp op : values()) {
            if (op.symbol.equals(s)) {
                return op;
            }
        }
        return null;
    }

    boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
