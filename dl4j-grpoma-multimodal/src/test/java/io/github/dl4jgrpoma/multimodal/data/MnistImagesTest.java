package io.github.dl4jgrpoma.multimodal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistImagesTest {
    @TempDir
    Path dir;

    @Test
    void readsGeneratedImagesAndLabels() throws IOException {
        byte[] pixels = IdxFiles.randomPixels(5, 6, 7, 3);
        Path img = IdxFiles.write(dir.resolve("i"), IdxFiles.idx(new int[] {5, 6, 7}, pixels));
        Path lab = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[] {5}, new byte[] {4, 0, 9, 1, 7}));
        MnistImages m = MnistImages.read(img, lab, "fix");
        assertEquals(5, m.count());
        assertEquals(6, m.rows());
        assertEquals(7, m.cols());
        assertEquals(9, m.label(2));
        assertEquals(pixels[(3 * 6 + 2) * 7 + 5] & 0xFF, m.pixel(3, 2, 5));
        assertThrows(IndexOutOfBoundsException.class, () -> m.pixel(5, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.pixel(0, 6, 0));
    }

    @Test
    void labelOutOfRangeAndCountMismatchAreReported() throws IOException {
        Path img = IdxFiles.write(dir.resolve("i"), IdxFiles.idx(new int[] {2, 2, 2}, new byte[8]));
        Path bad = IdxFiles.write(dir.resolve("l"), IdxFiles.idx(new int[] {2}, new byte[] {3, 10}));
        DataFileException e = assertThrows(DataFileException.class, () -> MnistImages.read(img, bad, "fix"));
        assertTrue(e.getMessage().contains("has label 10 at index 1 (digits are 0..9)"), e.getMessage());
        Path three = IdxFiles.write(dir.resolve("l3"), IdxFiles.idx(new int[] {3}, new byte[] {1, 2, 3}));
        e = assertThrows(DataFileException.class, () -> MnistImages.read(img, three, "fix"));
        assertTrue(e.getMessage().contains("has 3 labels but i has 2 images"), e.getMessage());
    }

    @Test
    void realSplitFilesAreCheckedByHash() throws IOException {
        // a well-formed file under the real name but with other content is "corrupt", with the install command
        IdxFiles.write(dir.resolve(MnistSplit.TEST.imagesFile()), IdxFiles.idx(new int[] {1, 28, 28}, new byte[784]));
        IdxFiles.write(dir.resolve(MnistSplit.TEST.labelsFile()), IdxFiles.idx(new int[] {1}, new byte[1]));
        DataFileException e = assertThrows(DataFileException.class, () -> MnistImages.load(dir, MnistSplit.TEST));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte"), e.file());
        assertTrue(e.getMessage().contains("is corrupt: SHA-256 ") && e.getMessage().contains(
                "expected " + MnistSplit.TEST.imagesSha256() + "; install it with: bash scripts/fetch-mnist.sh"), e.getMessage());
        e = assertThrows(DataFileException.class, () -> MnistImages.load(dir, MnistSplit.TRAIN));
        assertEquals("data file " + dir.resolve("train-images-idx3-ubyte")
                + " is missing; install it with: " + MnistImages.INSTALL_COMMAND, e.getMessage());
        assertTrue(e.getMessage().contains("GRPOMA_DATA"), "says how to install into another folder: " + e.getMessage());
    }
}
