package io.github.dl4jgrpoma.multimodal.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST (LeCun et al., "THE MNIST DATABASE of handwritten
 * digits"): a big-endian header {@code 0x00 0x00 0x08 rank}, then {@code rank} big-endian int32 dimensions,
 * then the values. A file that starts with the gzip magic {@code 1f 8b} is decompressed on the fly
 * ({@code train-images-idx3-ubyte.gz} as published). Our own reader: DL4J's {@code MnistManager} lives in
 * {@code deeplearning4j-datasets}, which pulls OpenCV, FFmpeg, HDF5 and Leptonica natives for every platform.
 *
 * <p>Every problem is a {@link DataFileException} naming the file, what is wrong and {@code fix}, the
 * command that installs a good copy.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /**
     * Reads {@code file}, which must have exactly {@code expectedRank} dimensions.
     *
     * @param fix the command named in error messages
     * @throws DataFileException if the file is missing, unreadable, not an unsigned-byte IDX file, of another
     *                           rank, truncated or followed by extra bytes
     */
    public static IdxData read(Path file, int expectedRank, String fix) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "is missing", fix);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
            return parse(file, new DataInputStream(in), expectedRank, fix);
        } catch (EOFException e) {
            throw new DataFileException(file, "is truncated (ends inside the header)", fix);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read (" + e.getMessage() + ")", fix);
        }
    }

    private static IdxData parse(Path file, DataInputStream in, int expectedRank, String fix) throws IOException {
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != UNSIGNED_BYTE) {
            throw new DataFileException(file, String.format("is not an unsigned-byte IDX file (magic 0x%08x, "
                    + "expected 0x000008%02x)", magic, expectedRank), fix);
        }
        int rank = magic & 0xFF;
        if (rank != expectedRank) {
            throw new DataFileException(file, "has " + rank + " dimensions, expected " + expectedRank, fix);
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] <= 0) {
                throw new DataFileException(file, "has dimension " + i + " = " + dims[i] + " (must be > 0)", fix);
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new DataFileException(file, "declares " + total + " values, more than a Java array holds", fix);
        }
        byte[] values = new byte[(int) total];
        int got = in.readNBytes(values, 0, values.length);
        if (got < values.length) {
            throw new DataFileException(file, "is truncated: " + got + " of " + total + " values present", fix);
        }
        if (in.read() != -1) {
            throw new DataFileException(file, "has bytes after the " + total + " declared values", fix);
        }
        return new IdxData(dims, values);
    }
}
