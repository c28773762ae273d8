package io.github.dl4jgrpoma.examples.math;

/** Wall-clock stopwatch in seconds. */
final class RunTimer {
    private final long start = System.nanoTime();

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
