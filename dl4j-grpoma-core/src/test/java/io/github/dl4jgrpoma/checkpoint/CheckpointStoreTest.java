package io.github.dl4jgrpoma.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {

    @TempDir
    Path root;

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T07:30:00Z"), ZoneOffset.UTC);

    private CheckpointStore store(int keep) {
        return new CheckpointStore(root, keep, CLOCK);
    }

    /** model.bin = "model@<step>" and state/rng.txt = "seed=<step>". */
    private static IOConsumer<Path> payload(long step) {
        return dir -> {
            Files.writeString(dir.resolve("model.bin"), "model@" + step);
            Files.createDirectories(dir.resolve("state"));
            Files.writeString(dir.resolve("state/rng.txt"), "seed=" + step);
        };
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void saveWritesManifestWithHashesAndLatestReturnsIt() throws Exception {
        CheckpointStore absent = new CheckpointStore(root.resolve("ckpts"), 3, CLOCK);
        assertEquals(Optional.empty(), absent.latest());
        assertFalse(Files.exists(root.resolve("ckpts"))); // neither constructor nor latest() touch the disk
        CheckpointStore s = store(3);
        assertEquals(Optional.empty(), s.latest());
        Checkpoint c = s.save(5, "cfg-A", payload(5));
        assertEquals(root.resolve("step-000005"), c.directory());
        assertEquals(List.of("step-000005"), entries());
        CheckpointManifest m = CheckpointManifest.read(c.directory());
        assertEquals(1, m.formatVersion());
        assertEquals(5, m.step());
        assertEquals("cfg-A", m.configFingerprint());
        assertEquals("2026-11-27T07:30:00Z", m.created());
        byte[] model = "model@5".getBytes(StandardCharsets.UTF_8);
        byte[] rng = "seed=5".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of(new PayloadFile("model.bin", model.length, sha256(model)),
                new PayloadFile("state/rng.txt", rng.length, sha256(rng))), m.files());
        Checkpoint latest = s.latest().orElseThrow();
        assertEquals(5, latest.step());
        assertEquals("seed=5", Files.readString(latest.file("state/rng.txt")));
        assertThrows(CheckpointException.class, () -> latest.file("optimizer.bin"));
    }

    @Test
    void payloadNamesWithSpacesSeparatorsAndNonAsciiSurviveTheManifest() throws IOException {
        CheckpointStore s = store(3);
        String odd = "opt state=1:über #2.bin";
        s.save(1, "fingerprint with = and é", dir -> Files.writeString(dir.resolve(odd), "x"));
        Checkpoint c = s.latest().orElseThrow();
        assertEquals("x", Files.readString(c.file(odd)));
        assertEquals("fingerprint with = and é", c.configFingerprint());
        assertEquals(List.of(odd), c.manifest().files().stream().map(PayloadFile::path).toList());
    }

    @Test
    void keepsOnlyTheLastN() throws IOException {
        CheckpointStore s = store(2);
        for (long step : new long[] {10, 20, 30, 40}) {
            s.save(step, "cfg", payload(step));
        }
        assertEquals(List.of("step-000030", "step-000040"), entries());
        assertEquals(40, s.latest().orElseThrow().step());
        CheckpointStore one = new CheckpointStore(root, 1);
        one.save(50, "cfg", payload(50));
        assertEquals(List.of("step-000050"), entries());
    }

    @Test
    void truncatedPayloadIsRejectedNamingTheFileAndLatestFallsBack() throws IOException {
        CheckpointStore s = store(3);
        s.save(1, "cfg", payload(1));
        Checkpoint two = s.save(2, "cfg", payload(2));
        Path model = two.directory().resolve("model.bin");
        try (var ch = Files.newByteChannel(model, StandardOpenOption.WRITE)) {
            ch.truncate(3);
        }
        CheckpointException e = assertThrows(CheckpointException.class, () -> s.verify(two));
        assertTrue(e.getMessage().contains("'model.bin'") && e.getMessage().contains("has 3 bytes")
                && e.getMessage().contains("expects 7"), e.getMessage());
        assertTrue(e.getMessage().contains("delete " + two.directory()), e.getMessage());
        assertEquals(1, s.latest().orElseThrow().step());
    }

    @Test
    void alteredPayloadOfSameSizeIsRejectedWithExpectedAndActualHash() throws Exception {
        CheckpointStore s = store(3);
        s.save(1, "cfg", payload(1));
        Checkpoint two = s.save(2, "cfg", payload(2));
        Files.writeString(two.directory().resolve("state/rng.txt"), "seed=9"); // same length
        CheckpointException e = assertThrows(CheckpointException.class, () -> s.verify(two.directory()));
        String msg = e.getMessage();
        assertTrue(msg.contains("'state/rng.txt'"), msg);
        assertTrue(msg.contains(sha256("seed=9".getBytes(StandardCharsets.UTF_8))), msg);
        assertTrue(msg.contains("expects " + sha256("seed=2".getBytes(StandardCharsets.UTF_8))), msg);
        assertEquals(1, s.latest().orElseThrow().step());

        Files.delete(two.directory().resolve("model.bin"));
        CheckpointException missing = assertThrows(CheckpointException.class, () -> s.verify(two));
        assertTrue(missing.getMessage().contains("'model.bin' is missing"), missing.getMessage());
    }

    @Test
    void leftoverTempDirectoryFromAKilledWriteIsIgnoredAndCleanedUp() throws IOException {
        CheckpointStore s = store(3);
        s.save(1, "cfg", payload(1));
        // A kill during the write of step 2 leaves a hidden directory with a half-written payload.
        Path leftover = Files.createDirectories(root.resolve(".tmp-step-000002-123456"));
        Files.writeString(leftover.resolve("model.bin"), "mod");
        // A directory copied in without a manifest is incomplete as well.
        Files.createDirectories(root.resolve("step-000003"));
        Files.writeString(root.resolve("step-000003/model.bin"), "model@3");
        assertEquals(1, s.latest().orElseThrow().step());
        s.save(4, "cfg", payload(4));
        assertEquals(List.of("step-000001", "step-000003", "step-000004"), entries());
        assertEquals(4, s.latest().orElseThrow().step());
    }

    @Test
    void failingPayloadWriterLeavesNothingAndKeepsThePrevious() throws IOException {
        CheckpointStore s = store(3);
        s.save(1, "cfg", payload(1));
        CheckpointException e = assertThrows(CheckpointException.class, () -> s.save(2, "cfg", dir -> {
            Files.writeString(dir.resolve("model.bin"), "mo");
            throw new IOException("killed (simulated)");
        }));
        assertTrue(e.getMessage().contains("step-000002") && e.getMessage().contains("killed (simulated)"),
                e.getMessage());
        assertEquals(List.of("step-000001"), entries());
        assertEquals(1, s.latest().orElseThrow().step());

        CheckpointException empty = assertThrows(CheckpointException.class, () -> s.save(2, "cfg", dir -> { }));
        assertTrue(empty.getMessage().contains("wrote no files"), empty.getMessage());
        CheckpointException reserved = assertThrows(CheckpointException.class, () -> s.save(2, "cfg",
                dir -> Files.writeString(dir.resolve(CheckpointManifest.FILE_NAME), "x")));
        assertTrue(reserved.getMessage().contains("reserves"), reserved.getMessage());
        assertEquals(List.of("step-000001"), entries());
    }

    @Test
    void fingerprintMismatchIsAClearError() throws IOException {
        Checkpoint c = store(3).save(7, "lr=1e-5;K=4;M=4", payload(7));
        c.requireFingerprint("lr=1e-5;K=4;M=4");
        CheckpointException e = assertThrows(CheckpointException.class, () -> c.requireFingerprint("lr=1e-5;K=8;M=2"));
        assertTrue(e.getMessage().contains("'lr=1e-5;K=4;M=4'") && e.getMessage().contains("'lr=1e-5;K=8;M=2'")
                && e.getMessage().contains("fix:"), e.getMessage());
    }

    @Test
    void savingAnExistingStepReplacesItAfterARollback() throws IOException {
        CheckpointStore s = store(2);
        s.save(1, "cfg", payload(1));
        s.save(2, "cfg", payload(2));
        Checkpoint three = s.save(3, "cfg", payload(3));
        Files.writeString(three.directory().resolve("model.bin"), "garbage");
        assertEquals(2, s.latest().orElseThrow().step());
        s.save(3, "cfg", dir -> Files.writeString(dir.resolve("model.bin"), "model@3 again"));
        Checkpoint latest = s.latest().orElseThrow();
        assertEquals(3, latest.step());
        assertEquals("model@3 again", Files.readString(latest.file("model.bin")));
        assertEquals(List.of("step-000002", "step-000003"), entries());
    }

    @Test
    void manifestStepMustMatchDirectoryAndConfigIsValidated() throws IOException {
        CheckpointStore s = store(3);
        Checkpoint c = s.save(8, "cfg", payload(8));
        Path renamed = root.resolve("step-000009");
        Files.move(c.directory(), renamed);
        CheckpointException e = assertThrows(CheckpointException.class, () -> s.verify(renamed));
        assertTrue(e.getMessage().contains("step 8") && e.getMessage().contains("says step 9"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(root, 0));
        assertThrows(IllegalArgumentException.class, () -> s.save(-1, "cfg", payload(1)));
    }

    @Test
    void aCheckpointDirectoryThatIsAFileIsRejectedUpFront() throws IOException {
        Path file = Files.writeString(Files.createTempFile("not-a-dir", ".txt"), "x");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(file, 2));
            assertTrue(e.getMessage().contains("is an existing file") && e.getMessage().contains("pass a directory"), e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
