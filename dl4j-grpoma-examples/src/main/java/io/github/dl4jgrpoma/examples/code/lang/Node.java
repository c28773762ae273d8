package io.github.dl4jgrpoma.examples.code.lang;

import java.util.List;

/**
 * The syntax tree of the program language. Nodes are plain data; only {@link Interpreter} gives them
 * meaning. A left-nested chain such as {@code 1+1+...+1} can be as deep as the program is long, so nothing
 * walks a tree recursively except the interpreter, which counts its depth.
 */
sealed interface Node {

    /** An integer literal. */
    record Num(long value) implements Node {
    }

    /** A name: a let binding, a lambda parameter, {@code x} (the input) or a built-in. */
    record Var(String name) implements Node {
    }

    /** {@code [e1, e2, ...]}. */
    record ListLit(List<Node> items) implements Node {
    }

    /** {@code -e}. */
    record Neg(Node operand) implements Node {
    }

    /** {@code l op r}. */
    record Binary(BinaryOp op, Node left, Node right) implements Node {
    }

    /** {@code if c then t else e}. */
    record If(Node condition, Node then, Node otherwise) implements Node {
    }

    /** {@code let name = value in body}; a lambda value may call itself by {@code name}. */
    record Let(String name, Node value, Node body) implements Node {
    }

    /** {@code \a,b -> body}. */
    record Lambda(List<String> params, Node body) implements Node {
    }

    /** {@code f(a, b)}. */
    record Call(Node function, List<Node> args) implements Node {
    }
}
