package io.github.dl4jgrpoma.multimodal.vision;

import java.util.Arrays;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/**
 * A small convolutional encoder: per block, a 3x3 convolution ({@code SAME} padding, stride 1) with bias,
 * ReLU, and 2x2 max pooling (stride 2, {@code VALID}: odd sizes round down); after the last block each spatial
 * cell is one image token, in row-major order, whose width is the last block's channel count:
 * <pre>
 *   h_0 = pixels [B,C,H,W];  h_{i+1} = maxpool2x2(relu(conv3x3(h_i; cnn_w{i} [3,3,C_i,C_{i+1}], cnn_b{i})))
 *   tokens = permute(reshape(h_n, [B, C_n, h*w]), [0,2,1])   -> [B, h*w, C_n],  h = H / 2^n, w = W / 2^n (floor)
 * </pre>
 * {@code conv2d} and {@code maxPooling2d} in NCHW with YXIO weights pass the finite-difference check in M2.1
 * ({@code shared/docs/DL4J-NOTES.md} section 7; {@code CnnEncoderGradientTest}). Weights: He initialisation
 * {@code N(0, 2 / (9 C_i))}; biases zero. Our choice of architecture: the smallest that reads MNIST digits.
 */
public final class CnnEncoder implements VisionEncoder {
    private static final int KERNEL = 3;
    private final ImageShape input;
    private final int[] channels;

    /**
     * @param input    image shape {@code [C,H,W]}
     * @param channels output channels of each block, e.g. {@code {8, 16}}; the last is the token width
     * @throws IllegalArgumentException if there is no block, a channel count is below 1 or the image is too
     *                                  small for the number of poolings
     */
    public CnnEncoder(ImageShape input, int... channels) {
        if (channels.length == 0) {
            throw new IllegalArgumentException("CnnEncoder: at least one block is needed (channels is empty)");
        }
        for (int c : channels) {
            if (c < 1) {
                throw new IllegalArgumentException("CnnEncoder: channels must be >= 1, got " + Arrays.toString(channels));
            }
        }
        if ((input.height() >> channels.length) < 1 || (input.width() >> channels.length) < 1) {
            throw new IllegalArgumentException("CnnEncoder: " + channels.length + " poolings of 2 need an image of at least "
                    + (1 << channels.length) + " pixels each side, got " + input + "; use fewer blocks");
        }
        this.input = input;
        this.channels = channels.clone();
    }

    @Override
    public String name() {
        return "cnn";
    }

    @Override
    public ImageShape inputShape() {
        return input;
    }

    /** Height of the token grid, {@code H / 2^blocks} rounded down. */
    public int gridHeight() {
        return input.height() >> channels.length;
    }

    /** Width of the token grid, {@code W / 2^blocks} rounded down. */
    public int gridWidth() {
        return input.width() >> channels.length;
    }

    @Override
    public int tokens() {
        return gridHeight() * gridWidth();
    }

    @Override
    public int tokenWidth() {
        return channels[channels.length - 1];
    }

    @Override
    public SDVariable encode(SDVariable pixels, ParameterFactory params) {
        SameDiff sd = params.sameDiff();
        Conv2DConfig conv = Conv2DConfig.builder().kH(KERNEL).kW(KERNEL).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                .dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build();
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID)
                .isNHWC(false).build();
        SDVariable h = pixels;
        int in = input.channels();
        for (int i = 0; i < channels.length; i++) {
            SDVariable w = params.normal("cnn_w" + i, Math.sqrt(2.0 / (KERNEL * KERNEL * in)), KERNEL, KERNEL, in, channels[i]);
            SDVariable b = params.zeros("cnn_b" + i, channels[i]);
            h = sd.cnn.maxPooling2d(sd.nn.relu(sd.cnn.conv2d(h, w, b, conv), 0.0), pool);
            in = channels[i];
        }
        return sd.permute(sd.reshape(h, -1, tokenWidth(), tokens()), 0, 2, 1);
    }

    @Override
    public String toString() {
        return "CnnEncoder" + Arrays.toString(channels) + " on " + input + " -> " + tokens() + "x" + tokenWidth();
    }
}
