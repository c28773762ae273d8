package io.github.dl4jgrpoma.examples.math;

import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.UsageException;

/** Test access to the package-private option building of {@link MathCommand}. */
public final class MathCommandAccess {
    private MathCommandAccess() {
    }

    public static Options options() {
        return MathCommand.options(MathCommand.DEFAULT_OUT, Set.of());
    }

    public static java.util.List<io.github.dl4jgrpoma.examples.ConfigOptions.Flag> flags() {
        return MathCommand.FLAGS.flags();
    }

    public static MathSettings settings(CommandLine cl) throws UsageException {
        return MathCommand.settings(cl, MathSettings.defaults(), MathCommand.DEFAULT_OUT);
    }
}
