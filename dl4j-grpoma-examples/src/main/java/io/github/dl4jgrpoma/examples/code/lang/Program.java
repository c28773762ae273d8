package io.github.dl4jgrpoma.examples.code.lang;

/**
 * A parsed program, or the reason it did not parse. Made by {@link Sandbox#parse}; immutable and safe to
 * run many times, from any thread.
 */
public final class Program {
    private final String source;
    private final Node root;
    private final RunResult parseFailure;

    private Program(String source, Node root, RunResult parseFailure) {
        this.source = source;
        this.root = root;
        this.parseFailure = parseFailure;
    }

    static Program parsed(String source, Node root) {
        return new Program(source, root, null);
    }

    static Program failed(String source, RunResult failure) {
        return new Program(source, null, failure);
    }

    /** True when the text parsed. */
    public boolean parsed() {
        return root != null;
    }

    /** The parse failure (cause PARSE, DEPTH or SIZE), or null when the text parsed. */
    public RunResult parseFailure() {
        return parseFailure;
    }

    /** The program text. */
    public String source() {
        return source;
    }

    Node root() {
        return root;
    }

    @Override
    public String toString() {
        return parsed() ? "Program(" + source + ")" : "Program(not parsed: " + parseFailure + ")";
    }
}
