package io.github.dl4jgrpoma.examples.code.lang;

/**
 * A lexical token.
 *
 * @param kind  INT, IDENT, SYMBOL or END
 * @param text  the source text (the symbol, the name, or the digits)
 * @param pos   offset in the program text
 */
record Token(Kind kind, String text, int pos) {

    enum Kind { INT, IDENT, SYMBOL, END }

    boolean is(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol) || kind == Kind.IDENT && text.equals(symbol);
    }
}
