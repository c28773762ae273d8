package io.github.dl4jgrpoma.multimodal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reads the real MNIST installed by {@code scripts/fetch-mnist.sh} (slow tag: needs the files). */
@Tag("slow")
class MnistRealFilesTest {

    @Test
    void bothSplitsLoadWithTheirKnownSizesAndClassCounts() {
        MnistImages train = MnistImages.load(MnistSplit.TRAIN);
        MnistImages test = MnistImages.load(MnistSplit.TEST);
        assertEquals(60_000, train.count());
        assertEquals(10_000, test.count());
        // published class counts of the MNIST test split, and the first labels of each split
        int[] counts = new int[10];
        for (int i = 0; i < test.count(); i++) {
            counts[test.label(i)]++;
        }
        assertEquals("[980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]", java.util.Arrays.toString(counts));
        assertEquals(5, train.label(0));
        assertEquals(7, test.label(0));
        assertEquals(0, train.pixel(0, 0, 0));
    }
}
