package io.github.dl4jgrpoma.multimodal.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Grey-scale digit images with labels, as in MNIST: {@code count} images of {@code rows x cols} unsigned-byte
 * pixels (0 = background, 255 = ink) and a class label 0..9 each. Immutable.
 *
 * <p>{@link #load(MnistSplit)} reads the real files from {@link #dataDirectory()} and checks their SHA-256;
 * {@link #read(Path, Path, String)} reads any pair of IDX files (tests use generated ones).
 */
public final class MnistImages {
    /** The command that installs the MNIST files; named in every data error. */
    public static final String INSTALL_COMMAND = "bash scripts/fetch-mnist.sh (in the dl4j-grpoma repository; it installs into"
            + " $GRPOMA_DATA/mnist, default ~/.grpoma/data/mnist: for a folder .../X/mnist set GRPOMA_DATA=.../X)";
    /** Environment variable that overrides the data root {@code ~/.grpoma/data}. */
    public static final String DATA_ENV = "GRPOMA_DATA";

    private final byte[] pixels;
    private final byte[] labels;
    private final int count;
    private final int rows;
    private final int cols;

    private MnistImages(byte[] pixels, byte[] labels, int count, int rows, int cols) {
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * The MNIST directory: {@code $GRPOMA_DATA/mnist} when the variable is set and not blank, otherwise
     * {@code ~/.grpoma/data/mnist}. Outside the source tree so that no build or clean touches it.
     */
    public static Path dataDirectory() {
        String env = System.getenv(DATA_ENV);
        Path root = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".grpoma", "data");
        return root.resolve("mnist");
    }

    /** Loads a split of the real MNIST from {@link #dataDirectory()}, verifying both files' SHA-256. */
    public static MnistImages load(MnistSplit split) {
        return load(dataDirectory(), split);
    }

    /**
     * Loads a split of the real MNIST from {@code directory}, verifying both files' SHA-256.
     *
     * @throws DataFileException if a file is missing, has another SHA-256 (corrupt or a different version) or
     *                           is malformed; the message names the file and {@value #INSTALL_COMMAND}
     */
    public static MnistImages load(Path directory, MnistSplit split) {
        Path images = directory.resolve(split.imagesFile());
        Path labels = directory.resolve(split.labelsFile());
        verify(images, split.imagesSha256());
        verify(labels, split.labelsSha256());
        MnistImages m = read(images, labels, INSTALL_COMMAND);
        if (m.count() != split.size() || m.rows() != 28 || m.cols() != 28) {
            throw new DataFileException(images, "holds " + m.count() + " images of " + m.rows() + "x" + m.cols()
                    + ", expected " + split.size() + " of 28x28", INSTALL_COMMAND);
        }
        return m;
    }

    /**
     * Reads an images file (IDX rank 3) and a labels file (IDX rank 1) of the same count; labels must be 0..9.
     *
     * @param fix the command named in error messages
     * @throws DataFileException if either file is missing or malformed, the counts differ or a label is out of range
     */
    public static MnistImages read(Path imagesFile, Path labelsFile, String fix) {
        IdxData images = IdxReader.read(imagesFile, 3, fix);
        IdxData labels = IdxReader.read(labelsFile, 1, fix);
        int[] d = images.dims();
        int n = labels.dims()[0];
        if (d[0] != n) {
            throw new DataFileException(labelsFile, "has " + n + " labels but " + imagesFile.getFileName()
                    + " has " + d[0] + " images", fix);
        }
        for (int i = 0; i < n; i++) {
            if (labels.value(i) > 9) {
                throw new DataFileException(labelsFile, "has label " + labels.value(i) + " at index " + i
                        + " (digits are 0..9)", fix);
            }
        }
        return new MnistImages(images.values(), labels.values(), n, d[1], d[2]);
    }

    private static void verify(Path file, String expected) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "is missing", INSTALL_COMMAND);
        }
        String actual = sha256(file);
        if (!actual.equals(expected)) {
            throw new DataFileException(file, "is corrupt: SHA-256 " + actual + ", expected " + expected, INSTALL_COMMAND);
        }
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read (" + e.getMessage() + ")", INSTALL_COMMAND);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform but is missing", e);
        }
    }

    /** Number of images. */
    public int count() {
        return count;
    }

    /** Image height in pixels. */
    public int rows() {
        return rows;
    }

    /** Image width in pixels. */
    public int cols() {
        return cols;
    }

    /** Class label 0..9 of image {@code i}. */
    public int label(int i) {
        checkIndex(i);
        return labels[i];
    }

    /** Pixel {@code (r, c)} of image {@code i}, 0..255. */
    public int pixel(int i, int r, int c) {
        checkIndex(i);
        if (r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("pixel (" + r + ", " + c + ") outside " + rows + "x" + cols);
        }
        return pixels[(i * rows + r) * cols + c] & 0xFF;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image index " + i + " outside [0, " + count + ")");
        }
    }
}
