package io.github.dl4jgrpoma.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study plan: {@code --resume} continues the study as it started (seeds, shapes), not with the defaults. */
class StudyArgsTest {
    private static final List<String> KEYS = List.of("seeds", "shapes");

    private static Options options() {
        Options o = new Options();
        for (String k : List.of("seeds", "shapes", "out")) {
            o.addOption(Option.builder().longOpt(k).hasArg().build());
        }
        o.addOption(Option.builder().longOpt("resume").build());
        return o;
    }

    private static CommandLine resumed(Path dir, String... extra) throws UsageException {
        String[] args = new String[extra.length + 3];
        args[0] = "--resume";
        args[1] = "--out";
        args[2] = dir.toString();
        System.arraycopy(extra, 0, args, 3, extra.length);
        Options o = options();
        return StudyArgs.resumePlan(CliSupport.parse(o, args), args, o, KEYS, "unused");
    }

    @Test
    void aResumedStudyKeepsItsSeedsAndShapesAndRefusesOthers(@TempDir Path dir) throws Exception {
        Options o = options();
        String[] first = {"--seeds", "1", "--out", dir.toString()};
        StudyArgs.savePlan(dir, CliSupport.parse(o, first), KEYS);
        assertTrue(Files.readString(dir.resolve(StudyArgs.PLAN)).contains("\"shapes\" : \"\""), "not given: the default");

        CommandLine cl = resumed(dir);
        assertEquals("1", cl.getOptionValue("seeds"), "--seeds 1 restored, not the default 3");
        assertFalse(cl.hasOption("shapes"));
        assertEquals("1", resumed(dir, "--seeds", "1").getOptionValue("seeds"), "the same value again is fine");

        UsageException e = assertThrows(UsageException.class, () -> resumed(dir, "--seeds", "3"));
        assertTrue(e.getMessage().startsWith("--seeds 3 differs from the study being resumed (--seeds 1"), e.getMessage());
        e = assertThrows(UsageException.class, () -> resumed(dir, "--shapes", "T4A4"));
        assertTrue(e.getMessage().contains("(it ran with the default"), e.getMessage());

        Path old = Files.createDirectories(dir.resolve("older"));
        assertFalse(resumed(old).hasOption("seeds"), "a study folder without a plan resumes with the flags given");
    }
}
