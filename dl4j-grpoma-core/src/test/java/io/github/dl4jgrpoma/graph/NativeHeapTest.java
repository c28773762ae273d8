package io.github.dl4jgrpoma.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NativeHeapTest {
    @Test
    void onGlibcTheTrimIsFoundAndReleasesFreedArrays() {
        assumeTrue(Files.exists(Path.of("/lib/x86_64-linux-gnu/libc.so.6")) || Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6")),
                "glibc (Linux x86-64) only");
        assertTrue(NativeHeap.available(), "malloc_trim not found in glibc");
        // many small arrays come from the heap (not mmap), and freeing them leaves free heap memory to release
        INDArray[] arrays = new INDArray[200];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = Nd4j.create(DataType.FLOAT, 16_000).assign(i);
        }
        for (int i = 0; i < arrays.length; i += 2) {
            arrays[i].close();
        }
        assertTrue(NativeHeap.trim(), "nothing released after freeing 100 arrays of 64 kB");
        for (int i = 1; i < arrays.length; i += 2) {
            assertTrue(arrays[i].getDouble(7) == i, "an array still in use changed");
        }
    }
}
