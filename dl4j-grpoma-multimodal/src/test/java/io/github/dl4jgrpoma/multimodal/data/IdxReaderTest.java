package io.github.dl4jgrpoma.multimodal.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final String FIX = "bash fix.sh";
    @TempDir
    Path dir;

    @Test
    void readsRank3AndRank1FilesPlainAndGzipped() throws IOException {
        byte[] pixels = IdxFiles.randomPixels(3, 4, 5, 7);
        byte[] file = IdxFiles.idx(new int[] {3, 4, 5}, pixels);
        IdxData plain = IdxReader.read(IdxFiles.write(dir.resolve("img"), file), 3, FIX);
        IdxData gz = IdxReader.read(IdxFiles.writeGzip(dir.resolve("img.gz"), file), 3, FIX);
        for (IdxData d : new IdxData[] {plain, gz}) {
            assertArrayEquals(new int[] {3, 4, 5}, d.dims());
            assertArrayEquals(pixels, d.values());
        }
        assertEquals(pixels[17] & 0xFF, plain.value(17));
        IdxData labels = IdxReader.read(IdxFiles.write(dir.resolve("lab"),
                IdxFiles.idx(new int[] {4}, new byte[] {0, 9, (byte) 200, 3})), 1, FIX);
        assertEquals(200, labels.value(2));
    }

    @Test
    void missingFileNamesTheFileAndTheFix() {
        Path f = dir.resolve("nope-idx3-ubyte");
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(f, 3, FIX));
        assertEquals(f, e.file());
        assertEquals("data file " + f + " is missing; install it with: bash fix.sh", e.getMessage());
    }

    @Test
    void truncatedValuesAreReported() throws IOException {
        byte[] file = IdxFiles.idx(new int[] {2, 3, 3}, new byte[18]);
        Path f = IdxFiles.write(dir.resolve("t"), Arrays.copyOf(file, file.length - 5));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(f, 3, FIX));
        assertTrue(e.getMessage().contains("is truncated: 13 of 18 values present"), e.getMessage());
        Path header = IdxFiles.write(dir.resolve("h"), Arrays.copyOf(file, 6));
        e = assertThrows(DataFileException.class, () -> IdxReader.read(header, 3, FIX));
        assertTrue(e.getMessage().contains("ends inside the header"), e.getMessage());
    }

    @Test
    void wrongMagicRankExtraBytesAndBadDimensionAreReported() throws IOException {
        byte[] file = IdxFiles.idx(new int[] {2, 2, 2}, new byte[8]);
        byte[] floats = file.clone();
        floats[2] = 0x0D;
        assertMessage(IdxFiles.write(dir.resolve("a"), floats), 3, "is not an unsigned-byte IDX file (magic 0x00000d03");
        assertMessage(IdxFiles.write(dir.resolve("b"), file), 1, "has 3 dimensions, expected 1");
        byte[] extra = Arrays.copyOf(file, file.length + 1);
        assertMessage(IdxFiles.write(dir.resolve("c"), extra), 3, "has bytes after the 8 declared values");
        assertMessage(IdxFiles.write(dir.resolve("d"), IdxFiles.idx(new int[] {0}, new byte[0])), 1,
                "has dimension 0 = 0 (must be > 0)");
    }

    private static void assertMessage(Path f, int rank, String expected) {
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(f, rank, FIX));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().endsWith("install it with: " + FIX), e.getMessage());
    }
}
