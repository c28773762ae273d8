package io.github.dl4jgrpoma.examples;

import java.io.PrintStream;

/** One sub-command of {@code bin/grpoma}: parses its own options and returns a process exit code. */
public interface Command {
    /** Name typed on the command line, for example {@code simulate}. */
    String name();

    /** One line shown by {@code bin/grpoma --help}. */
    String summary();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name
     * @param out  where results go
     * @param err  where usage and errors go
     * @return 0 on success, 2 on a usage error, 1 on a failure
     */
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
}
