package io.github.dl4jgrpoma.multimodal.data;

import java.util.Arrays;

/**
 * The contents of an IDX file of unsigned bytes: its dimensions ({@code [n]} for labels, {@code [n, rows, cols]}
 * for images) and its values in row-major order, each an unsigned byte stored in a Java {@code byte}
 * (read it with {@code value(i)}, which returns 0..255).
 */
public record IdxData(int[] dims, byte[] values) {
    public IdxData {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("IdxData: dims " + Arrays.toString(dims) + " hold " + n
                    + " values but " + values.length + " were given");
        }
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Value {@code i} in row-major order, 0..255. */
    public int value(int i) {
        return values[i] & 0xFF;
    }
}
