package io.github.dl4jgrpoma.listener;

/**
 * Receives training events; every method has a no-op default, so an implementation overrides only what
 * it needs. See the package documentation for the call contract (exceptions abort training, a STOP
 * response ends it cleanly, {@code onEnd} is always called).
 */
public interface TrainingListener {

    /** Before the first step. */
    default void onStart(TrainingStartEvent event) {
    }

    /**
     * After every optimiser step.
     *
     * @return {@link ListenerResponse#CONTINUE}, or {@link ListenerResponse#stop(String)} to end training
     *         cleanly after this step
     */
    default ListenerResponse onStep(StepEvent event) {
        return ListenerResponse.CONTINUE;
    }

    /** Once, when training ends for any reason; release files here. */
    default void onEnd(TrainingEndEvent event) {
    }
}
