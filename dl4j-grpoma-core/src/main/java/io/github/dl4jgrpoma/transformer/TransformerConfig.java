package io.github.dl4jgrpoma.transformer;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Shape and initialisation of the built-in decoder-only transformer ({@link TransformerPolicy}).
 *
 * @param vocabSize number of token ids V (at least 2)
 * @param width     model width D (divisible by {@code heads})
 * @param layers    number of transformer blocks L (at least 1)
 * @param heads     attention heads H (at least 1, divides D)
 * @param mlpRatio  MLP hidden width as a multiple of D (default 4)
 * @param maxLength fixed sequence length T of the graph and rows of the position embedding (at least 2)
 * @param dataType  FLOAT (default; the only practical CPU type) or DOUBLE (for gradient checks)
 * @param seed      seed of the weight initialisation (default 42); same seed, same weights
 * @param initStd   standard deviation of the normal initialisation of every matrix (default 0.02)
 */
public record TransformerConfig(int vocabSize, int width, int layers, int heads, int mlpRatio, int maxLength,
                                DataType dataType, long seed, double initStd) {

    /** Validates every field; see the record components. */
    public TransformerConfig {
        require(vocabSize >= 2, "vocabSize", vocabSize, "use at least 2 token ids");
        require(width >= 1, "width", width, "use a positive width");
        require(layers >= 1, "layers", layers, "use at least one layer");
        require(heads >= 1, "heads", heads, "use at least one head");
        require(width % Math.max(heads, 1) == 0, "width", width, "width must be divisible by heads=" + heads);
        require(mlpRatio >= 1, "mlpRatio", mlpRatio, "use a ratio of at least 1 (default 4)");
        require(maxLength >= 2, "maxLength", maxLength, "use a sequence length of at least 2");
        require(dataType == DataType.FLOAT || dataType == DataType.DOUBLE, "dataType", dataType,
                "use DataType.FLOAT (training) or DataType.DOUBLE (gradient checks)");
        require(initStd > 0 && Double.isFinite(initStd), "initStd", initStd, "use a finite value > 0 (default 0.02)");
    }

    /** A builder holding the defaults: mlpRatio 4, FLOAT, seed 42, initStd 0.02. */
    public static Builder builder() {
        return new Builder();
    }

    /** Width of one attention head, {@code D / H}. */
    public int headWidth() {
        return width / heads;
    }

    /** MLP hidden width, {@code mlpRatio * D}. */
    public int mlpWidth() {
        return mlpRatio * width;
    }

    private static void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("TransformerConfig." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** Mutable builder; {@link #build()} validates. vocabSize, width, layers, heads and maxLength have no default. */
    public static final class Builder {
        private int vocabSize;
        private int width;
        private int layers;
        private int heads;
        private int mlpRatio = 4;
        private int maxLength;
        private DataType dataType = DataType.FLOAT;
        private long seed = 42L;
        private double initStd = 0.02;

        private Builder() {
        }

        public Builder vocabSize(int v) {
            this.vocabSize = v;
            return this;
        }

        public Builder width(int v) {
            this.width = v;
            return this;
        }

        public Builder layers(int v) {
            this.layers = v;
            return this;
        }

        public Builder heads(int v) {
            this.heads = v;
            return this;
        }

        public Builder mlpRatio(int v) {
            this.mlpRatio = v;
            return this;
        }

        public Builder maxLength(int v) {
            this.maxLength = v;
            return this;
        }

        public Builder dataType(DataType v) {
            this.dataType = v;
            return this;
        }

        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        public Builder initStd(double v) {
            this.initStd = v;
            return this;
        }

        public TransformerConfig build() {
            return new TransformerConfig(vocabSize, width, layers, heads, mlpRatio, maxLength, dataType, seed, initStd);
        }
    }
}
