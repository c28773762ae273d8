package io.github.dl4jgrpoma.examples.code.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser of the grammar in {@link Sandbox}. Recursion happens only where the grammar
 * nests (expression entry, unary minus); each such level counts against {@code maxDepth}, so the Java stack
 * stays bounded for any input. Left-associative operator chains and call chains are loops, but each link
 * nests the tree one level deeper and counts too, so no syntax tree is deeper than about {@code maxDepth}
 * (evaluating a deeper chain would fail on depth anyway).
 */
final class Parser {
    private static final Set<String> KEYWORDS = Set.of("let", "in", "if", "then", "else");

    private final Lexer lexer;
    private final int maxDepth;
    private Token current;
    private int depth;

    private Parser(Lexer lexer, int maxDepth) {
        this.lexer = lexer;
        this.maxDepth = maxDepth;
        this.current = lexer.next();
    }

    /** Parses a whole program. @throws SandboxFailure PARSE, DEPTH or SIZE */
    static Node parse(String src, int maxDepth) {
        Parser p = new Parser(new Lexer(src), maxDepth);
        Node root = p.expr();
        if (p.peek().kind() != Token.Kind.END) {
            throw p.error("unexpected '" + p.peek().text() + "' after the end of the expression");
        }
        return root;
    }

    private Node expr() {
        enter();
        try {
            Token t = peek();
            if (t.kind() == Token.Kind.IDENT && t.text().equals("let")) {
                advance();
                String name = ident("a name after 'let'");
                expect("=");
                Node value = expr();
                expect("in");
                return new Node.Let(name, value, expr());
            }
            if (t.kind() == Token.Kind.IDENT && t.text().equals("if")) {
                advance();
                Node c = expr();
                expect("then");
                Node a = expr();
                expect("else");
                return new Node.If(c, a, expr());
            }
            if (t.is("\\")) {
                advance();
                List<String> params = new ArrayList<>();
                params.add(ident("a parameter name after '\\'"));
                while (peek().is(",")) {
                    advance();
                    params.add(ident("a parameter name after ','"));
                }
                if (params.size() != params.stream().distinct().count()) {
                    throw error("duplicate parameter name in " + params);
                }
                expect("->");
                return new Node.Lambda(List.copyOf(params), expr());
            }
            return comparison();
        } finally {
            depth--;
        }
    }

    private Node comparison() {
        Node left = additive();
        BinaryOp op = peek().kind() == Token.Kind.SYMBOL ? BinaryOp.ofSymbol(peek().text()) : null;
        if (op != null && op.isComparison()) {
            advance();
            return new Node.Binary(op, left, additive());
        }
        return left;
    }

    private Node additive() {
        int entered = depth;
        Node left = multiplicative();
        while (peek().is("+") || peek().is("-")) {
            BinaryOp op = BinaryOp.ofSymbol(advance().text());
            enter();
            left = new Node.Binary(op, left, multiplicative());
        }
        depth = entered;
        return left;
    }

    private Node multiplicative() {
        int entered = depth;
        Node left = unary();
        while (peek().is("*") || peek().is("/") || peek().is("%")) {
            BinaryOp op = BinaryOp.ofSymbol(advance().text());
            enter();
            left = new Node.Binary(op, left, unary());
        }
        depth = entered;
        return left;
    }

    private Node unary() {
        if (peek().is("-")) {
            advance();
            enter();
            try {
                if (peek().kind() == Token.Kind.INT) {
                    return new Node.Num(literal(advance(), true));
                }
                return new Node.Neg(unary());
            } finally {
                depth--;
            }
        }
        return postfix();
    }

    private Node postfix() {
        int entered = depth;
        Node node = atom();
        while (peek().is("(")) {
            advance();
            enter();
            node = new Node.Call(node, items(")"));
        }
        depth = entered;
        return node;
    }

    private Node atom() {
        Token t = current;
        switch (t.kind()) {
            case INT:
                advance();
                return new Node.Num(literal(t, false));
            case IDENT:
                if (KEYWORDS.contains(t.text())) {
                    throw error("unexpected keyword '" + t.text() + "'");
                }
                advance();
                return new Node.Var(t.text());
            case SYMBOL:
                if (t.is("(")) {
                    advance();
                    Node inner = expr();
                    expect(")");
                    return inner;
                }
                if (t.is("[")) {
                    advance();
                    return new Node.ListLit(items("]"));
                }
                throw error("unexpected '" + t.text() + "'");
            default:
                throw error("unexpected end of program");
        }
    }

    /** Comma-separated expressions up to {@code close} (already past the opening bracket). */
    private List<Node> items(String close) {
        List<Node> out = new ArrayList<>();
        if (peek().is(close)) {
            advance();
            return out;
        }
        out.add(expr());
        while (peek().is(",")) {
            advance();
            out.add(expr());
        }
        expect(close);
        return out;
    }

    private static long literal(Token t, boolean negative) {
        String digits = negative ? "-" + t.text() : t.text();
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            String shown = digits.length() > 24 ? digits.substring(0, 20) + "..." : digits;
            throw new SandboxFailure(FailureCause.SIZE, "integer literal " + shown + " at " + t.pos()
                    + " does not fit in 64 bits");
        }
    }

    private void enter() {
        if (++depth > maxDepth) {
            throw new SandboxFailure(FailureCause.DEPTH, "program nests deeper than " + maxDepth + " at "
                    + peek().pos());
        }
    }

    private Token peek() {
        return current;
    }

    /** Moves to the next token and returns the one passed. */
    private Token advance() {
        Token t = current;
        current = lexer.next();
        return t;
    }

    private String ident(String what) {
        Token t = peek();
        if (t.kind() != Token.Kind.IDENT || KEYWORDS.contains(t.text())) {
            throw error("expected " + what + " but found '" + t.text() + "'");
        }
        advance();
        return t.text();
    }

    private void expect(String symbol) {
        if (!peek().is(symbol)) {
            throw error("expected '" + symbol + "' but found '" + peek().text() + "'");
        }
        advance();
    }

    private SandboxFailure error(String message) {
        return new SandboxFailure(FailureCause.PARSE, message + " at " + peek().pos());
    }
}
