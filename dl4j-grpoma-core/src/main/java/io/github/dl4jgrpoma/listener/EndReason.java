package io.github.dl4jgrpoma.listener;

/** Why training ended. */
public enum EndReason {
    /** All planned steps ran. */
    COMPLETED,
    /** A listener returned {@link ListenerResponse#stop(String)}. */
    EARLY_STOPPED,
    /** An exception aborted training (from the trainer or a listener). */
    FAILED
}
