package io.github.dl4jgrpoma.examples;

import java.io.PrintStream;
import java.util.List;

import io.github.dl4jgrpoma.listener.ProgressBarListener;

/** The progress bar every example draws. */
public final class Progress {
    private Progress() {
    }

    /** A redrawn bar on a terminal; a line every 10 s when the output goes to a file or a CI log. */
    public static ProgressBarListener bar(PrintStream progress, List<String> metrics) {
        boolean terminal = System.console() != null;
        return new ProgressBarListener(progress, 30, terminal ? 500 : 10_000, metrics, terminal);
    }
}
