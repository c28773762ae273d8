package io.github.dl4jgrpoma.listener;

/**
 * What a listener asks of the trainer after a step: continue, or stop cleanly with a reason (the
 * counterpart of DL4J's {@code ListenerResponse}, plus a human-readable reason for the end event).
 *
 * @param stop   true to stop after this step
 * @param reason why (empty when continuing)
 */
public record ListenerResponse(boolean stop, String reason) {

    /** Continue training. */
    public static final ListenerResponse CONTINUE = new ListenerResponse(false, "");

    /** Validates the fields. */
    public ListenerResponse {
        if (reason == null) {
            throw new IllegalArgumentException("reason is null; fix: pass \"\" to continue or a reason to stop");
        }
        if (stop && reason.isBlank()) {
            throw new IllegalArgumentException("a STOP response needs a reason; fix: say which criterion fired");
        }
        if (!stop && !reason.isEmpty()) {
            throw new IllegalArgumentException("a CONTINUE response has no reason (got '" + reason + "')");
        }
    }

    /** Stop after this step because of {@code reason}. */
    public static ListenerResponse stop(String reason) {
        return new ListenerResponse(true, reason);
    }

    /**
     * Combination of two responses: STOP if either stops; when both stop, the reasons are joined with
     * {@code "; "} in order.
     */
    public ListenerResponse combine(ListenerResponse other) {
        if (!other.stop) {
            return this;
        }
        if (!stop) {
            return other;
        }
        return stop(reason + "; " + other.reason);
    }
}
