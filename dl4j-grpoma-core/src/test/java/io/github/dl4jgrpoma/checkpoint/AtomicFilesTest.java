package io.github.dl4jgrpoma.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * Files written atomically (and checkpoint directories with their payload) get the permissions the
     * umask gives a plain {@code Files.createFile} / {@code createDirectory} in the same place, not the
     * owner-only 0600 / 0700 of temporary files.
     */
    @Test
    void writtenFilesAndCheckpointsRespectTheUmask() throws IOException {
        Path reference = Files.createFile(dir.resolve("reference"));
        Path refDir = Files.createDirectory(dir.resolve("reference-dir"));
        Path f = dir.resolve("out.txt");
        AtomicFiles.writeString(f, "x");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f));
        AtomicFiles.writeString(f, "replaced");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(f));
        Checkpoint c = new CheckpointStore(dir.resolve("ck"), 1).save(1, "fp",
                d -> Files.writeString(d.resolve("payload.bin"), "p"));
        assertEquals(Files.getPosixFilePermissions(refDir), Files.getPosixFilePermissions(c.directory()));
        assertEquals(Files.getPosixFilePermissions(reference),
                Files.getPosixFilePermissions(c.directory().resolve(CheckpointManifest.FILE_NAME)));
    }

    @Test
    void writesAndReplacesAndCreatesParents() throws IOException {
        Path f = dir.resolve("a/b/config.txt");
        AtomicFiles.writeString(f, "first");
        assertEquals("first", Files.readString(f));
        AtomicFiles.write(f, out -> {
            out.write("sec".getBytes());
            out.write('o');
            out.close(); // allowed: only flushes
        });
        assertEquals("seco", Files.readString(f));
        try (Stream<Path> s = Files.list(f.getParent())) {
            assertEquals(List.of("config.txt"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void failingWriterLeavesThePreviousVersionAndNoTempFile() throws IOException {
        Path f = dir.resolve("state.bin");
        AtomicFiles.writeBytes(f, new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[] {9, 9});
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), toList(Files.readAllBytes(f)));
        assertEquals(List.of("state.bin"), names());
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of("state.bin"), names());
    }

    private static List<Byte> toList(byte[] b) {
        Byte[] boxed = new Byte[b.length];
        for (int i = 0; i < b.length; i++) {
            boxed[i] = b[i];
        }
        return List.of(boxed);
    }
}
