package io.github.dl4jgrpoma.examples;

/** A bad command line: the message says which option and why; the caller prints usage and exits 2. */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
