package io.github.dl4jgrpoma.checkpoint;

/**
 * A checkpoint could not be written, read or verified, or belongs to another configuration. The message
 * names the checkpoint directory, the file concerned, what was expected and found, and the fix.
 */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message only. */
    public CheckpointException(String message) {
        super(message);
    }

    /** With a message and a cause. */
    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
