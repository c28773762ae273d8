/**
 * Training listeners: callbacks that receive immutable event records carrying only numbers and strings
 * (never the trainer, a {@code SameDiff} or an {@code INDArray}).
 *
 * <p>Contract between a trainer and a {@link io.github.dl4jgrpoma.listener.TrainingListener}:
 * <ol>
 *   <li>{@code onStart} once, before the first step;</li>
 *   <li>{@code onStep} after every optimiser step, with the step's metrics; a
 *       {@link io.github.dl4jgrpoma.listener.ListenerResponse#stop(String) STOP} response ends training
 *       cleanly after that step (reason {@code EARLY_STOPPED});</li>
 *   <li>an exception thrown by a listener aborts training: the trainer calls {@code onEnd} with reason
 *       {@code FAILED} and rethrows it (this is how {@link io.github.dl4jgrpoma.listener.NanGuardListener}
 *       stops with a clear error);</li>
 *   <li>{@code onEnd} exactly once, whatever the outcome.</li>
 * </ol>
 *
 * <p>Built-ins: {@link io.github.dl4jgrpoma.listener.LogLineListener},
 * {@link io.github.dl4jgrpoma.listener.CsvMetricsListener},
 * {@link io.github.dl4jgrpoma.listener.JsonlMetricsListener},
 * {@link io.github.dl4jgrpoma.listener.ProgressBarListener},
 * {@link io.github.dl4jgrpoma.listener.NanGuardListener},
 * {@link io.github.dl4jgrpoma.listener.EarlyStoppingListener}; {@link io.github.dl4jgrpoma.listener.Listeners}
 * calls several in order. Listeners hold per-run state and are not thread-safe; use one instance per run.
 */
package io.github.dl4jgrpoma.listener;
