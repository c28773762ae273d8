package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A list option with an empty item ({@code --widths ,}, {@code --widths 16,}; String.split without a limit drops
 * trailing empty strings): it must be a usage error (status 2, one line naming the option), not a run over a
 * shorter or empty list.
 */
class EmptyListOptionTest {

    @ParameterizedTest
    @ValueSource(strings = {",", ",,", "16,", "16,32,", ",16", "16,,32"})
    void benchStepWidthsWithAnEmptyItemIsAUsageError(String widths) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"bench-step", "--quick", "--torch", "off", "--widths", widths},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, status, "--widths '" + widths + "': stdout " + out.toString(StandardCharsets.UTF_8) + " stderr " + e);
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.contains("--widths"), e);
        assertFalse(e.contains("Exception"), e);
    }
}
