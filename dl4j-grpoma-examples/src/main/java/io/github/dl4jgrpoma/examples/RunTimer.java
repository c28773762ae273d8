package io.github.dl4jgrpoma.examples;

/** Wall-clock stopwatch in seconds. */
public final class RunTimer {
    private final long start = System.nanoTime();

    /** Seconds since construction. */
    public double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }
}
