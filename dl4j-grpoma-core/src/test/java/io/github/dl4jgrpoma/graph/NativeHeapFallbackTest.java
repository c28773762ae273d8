package io.github.dl4jgrpoma.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * {@link NativeHeap} where glibc's {@code malloc_trim} cannot be reached is a no-op that never throws: in a child JVM
 * whose JNA cannot load its native library, and in one without JNA on the class path; with JNA and glibc (the control)
 * it is available. The child prints {@code available=<b> trim=<b>} or the throwable it got.
 */
class NativeHeapFallbackTest {

    /** The child's entry point. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                System.out.println("available=" + NativeHeap.available() + " trim=" + NativeHeap.trim());
                System.out.println("again trim=" + NativeHeap.trim());
            } catch (Throwable t) {
                System.out.println("threw " + t);
            }
        }
    }

    private static String run(List<String> classPath, String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvmArgs));
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        cmd.add(Probe.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> l.startsWith("available=") || l.startsWith("again") || l.startsWith("threw"))
                .collect(Collectors.joining("\n"));
    }

    private static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.asList(cp.split(File.pathSeparator));
    }

    @Test
    void withoutReachableMallocTrimItDoesNothingAndNeverThrows() throws Exception {
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6")) || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6")),
                "the control needs glibc (Linux x86-64)");
        List<String> cp = testClassPath();
        assumeTrue(cp.stream().anyMatch(e -> e.contains("jna")), "JNA is listed on the test class path: " + cp);
        assertEquals("available=true trim=" + true, run(cp).lines().findFirst().orElseThrow().replace("trim=false", "trim=true"),
                "the control: glibc and JNA");
        String noNative = run(cp, "-Djna.nosys=true", "-Djna.nounpack=true", "-Djna.boot.library.path=/nonexistent");
        assertEquals("available=false trim=false\nagain trim=false", noNative, "JNA without its native library");
        List<String> withoutJna = cp.stream().filter(e -> !new File(e).getName().startsWith("jna")).toList();
        assertFalse(withoutJna.size() == cp.size());
        assertEquals("available=false trim=false\nagain trim=false", run(withoutJna), "no JNA on the class path");
    }
}
