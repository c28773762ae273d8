package io.github.dl4jgrpoma.examples.code.lang;

import java.util.Set;

/**
 * Splits program text into tokens lazily, one {@link #next()} at a time, so a parse that fails early
 * (for example on too deep nesting) never scans the rest of a long text.
 */
final class Lexer {
    private static final Set<String> TWO_CHAR = Set.of("==", "!=", "<=", ">=", "->");
    private static final String ONE_CHAR = "()[],=<>+-*/%\\";

    private final String src;
    private int i;

    Lexer(String src) {
        this.src = src;
    }

    /** The next token; END (repeatedly) at the end of the text. @throws SandboxFailure PARSE on a bad character */
    Token next() {
        int n = src.length();
        while (i < n && (src.charAt(i) == ' ' || src.charAt(i) == '\t' || src.charAt(i) == '\n'
                || src.charAt(i) == '\r')) {
            i++;
        }
        if (i >= n) {
            return new Token(Token.Kind.END, "<end>", n);
        }
        char c = src.charAt(i);
        int start = i;
        if (c >= '0' && c <= '9') {
            while (i < n && src.charAt(i) >= '0' && src.charAt(i) <= '9') {
                i++;
            }
            return new Token(Token.Kind.INT, src.substring(start, i), start);
        }
        if (isIdentStart(c)) {
            while (i < n && (isIdentStart(src.charAt(i)) || (src.charAt(i) >= '0' && src.charAt(i) <= '9'))) {
                i++;
            }
            return new Token(Token.Kind.IDENT, src.substring(start, i), start);
        }
        if (i + 1 < n && TWO_CHAR.contains(src.substring(i, i + 2))) {
            i += 2;
            return new Token(Token.Kind.SYMBOL, src.substring(start, i), start);
        }
        if (ONE_CHAR.indexOf(c) >= 0) {
            i++;
            return new Token(Token.Kind.SYMBOL, String.valueOf(c), start);
        }
        String shown = c >= 32 && c < 127 ? "'" + c + "'" : String.format("U+%04X", (int) c);
        throw new SandboxFailure(FailureCause.PARSE, "unexpected character " + shown + " at " + i);
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
