package io.github.dl4jgrpoma.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The catalogue of the op sweep ({@link UnsafeOpsSweepTest}): every differentiable SameDiff op the library or
 * a user's policy is likely to use, each with several shapes, axes and flags. Inputs are DOUBLE trainable
 * variables; {@link Init} says which values they take so that every op is differentiable at its inputs
 * (positive values for log/sqrt/div/cumprod, no values at a kink or at a tie unless the case is about ties).
 */
final class OpSweepCases {

    /** How the variables of a case are filled (seeded, distinct values). */
    enum Init {
        /** uniform in [0.5, 2]. */
        POSITIVE,
        /** random sign, magnitude in [0.2, 1]. */
        SIGNED
    }

    /**
     * One op under one configuration.
     *
     * @param name   op and configuration, e.g. {@code "cumsum axis=1 [2,3]"}
     * @param shapes shapes of the trainable inputs
     * @param init   value range of the inputs
     * @param build  output of the op from the inputs (any shape, floating)
     */
    record Case(String name, long[][] shapes, Init init, BiFunction<SameDiff, SDVariable[], SDVariable> build) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final List<Case> cases = new ArrayList<>();

    private OpSweepCases() {
    }

    private void add(String name, Init init, BiFunction<SameDiff, SDVariable[], SDVariable> build, long[]... shapes) {
        cases.add(new Case(name, shapes, init, build));
    }

    private static long[] s(long... dims) {
        return dims;
    }

    /** Every case, in a fixed order. */
    static List<Case> all() {
        OpSweepCases c = new OpSweepCases();
        c.matmul();
        c.elementwise();
        c.reductions();
        c.cumulative();
        c.moments();
        c.shapes();
        c.nn();
        c.lookupAndLosses();
        c.convolution();
        c.stochastic();
        return List.copyOf(c.cases);
    }

    private void matmul() {
        add("mmul [2,3]x[3,4]", Init.SIGNED, (sd, v) -> sd.mmul(v[0], v[1]), s(2, 3), s(3, 4));
        add("mmul transposeA [3,2]x[3,4]", Init.SIGNED, (sd, v) -> sd.mmul(v[0], v[1], true, false, false), s(3, 2), s(3, 4));
        add("mmul transposeB [2,3]x[4,3]", Init.SIGNED, (sd, v) -> sd.mmul(v[0], v[1], false, true, false), s(2, 3), s(4, 3));
        add("mmul transposeResult [2,3]x[3,4]", Init.SIGNED, (sd, v) -> sd.mmul(v[0], v[1], false, false, true), s(2, 3), s(3, 4));
        add("mmul rank-3 batched [2,2,3]x[2,3,2]", Init.SIGNED, (sd, v) -> sd.mmul(v[0], v[1]), s(2, 2, 3), s(2, 3, 2));
        add("mmul rank-4 batched transposeB [2,2,3,2]x[2,2,3,2]", Init.SIGNED,
                (sd, v) -> sd.mmul(v[0], v[1], false, true, false), s(2, 2, 3, 2), s(2, 2, 3, 2));
        add("tensorMmul [2,3]x[3,4] dims {1},{0}", Init.SIGNED,
                (sd, v) -> sd.tensorMmul(v[0], v[1], new int[] {1}, new int[] {0}, false, false, false), s(2, 3), s(3, 4));
        add("tensorMmul [2,3,2]x[3,2,2] dims {1,2},{0,1}", Init.SIGNED,
                (sd, v) -> sd.tensorMmul(v[0], v[1], new int[] {1, 2}, new int[] {0, 1}, false, false, false),
                s(2, 3, 2), s(3, 2, 2));
        add("batchMmul 2 x ([2,3]x[3,2])", Init.SIGNED, (sd, v) -> {
            SDVariable[] out = sd.batchMmul(new SDVariable[] {v[0], v[1]}, new SDVariable[] {v[2], v[3]}, false, false);
            return sd.concat(0, out);
        }, s(2, 3), s(2, 3), s(3, 2), s(3, 2));
        add("nn.linear [2,3]x[3,4]+[4]", Init.SIGNED, (sd, v) -> sd.nn.linear(v[0], v[1], v[2]), s(2, 3), s(3, 4), s(4));
    }

    private void elementwise() {
        long[][][] pairs = {{s(2, 3), s(3)}, {s(2, 3), s(1, 3)}, {s(2, 3), s(2, 1)}, {s(2, 3, 4), s(3, 4)}};
        for (long[][] p : pairs) {
            String shapes = java.util.Arrays.toString(p[0]) + " with " + java.util.Arrays.toString(p[1]);
            add("add " + shapes, Init.POSITIVE, (sd, v) -> v[0].add(v[1]), p[0], p[1]);
            add("sub " + shapes, Init.POSITIVE, (sd, v) -> v[0].sub(v[1]), p[0], p[1]);
            add("mul " + shapes, Init.POSITIVE, (sd, v) -> v[0].mul(v[1]), p[0], p[1]);
            add("div " + shapes, Init.POSITIVE, (sd, v) -> v[0].div(v[1]), p[0], p[1]);
        }
        add("rsub/rdiv by scalars [2,3]", Init.POSITIVE, (sd, v) -> v[0].rsub(2.0).add(v[0].rdiv(3.0)), s(2, 3));
        add("add/mul scalar variable [2,3] with []", Init.POSITIVE, (sd, v) -> v[0].mul(v[1]).add(v[1]), s(2, 3), s());
        add("exp", Init.SIGNED, (sd, v) -> sd.math.exp(v[0]), s(2, 3));
        add("log", Init.POSITIVE, (sd, v) -> sd.math.log(v[0]), s(2, 3));
        add("sqrt", Init.POSITIVE, (sd, v) -> sd.math.sqrt(v[0]), s(2, 3));
        add("square", Init.SIGNED, (sd, v) -> sd.math.square(v[0]), s(2, 3));
        add("pow 3", Init.POSITIVE, (sd, v) -> sd.math.pow(v[0], 3.0), s(2, 3));
        add("abs", Init.SIGNED, (sd, v) -> sd.math.abs(v[0]), s(2, 3));
        add("neg", Init.SIGNED, (sd, v) -> v[0].neg(), s(2, 3));
        add("tanh", Init.SIGNED, (sd, v) -> sd.math.tanh(v[0]), s(2, 3));
        add("nn.tanh", Init.SIGNED, (sd, v) -> sd.nn.tanh(v[0]), s(2, 3));
        add("sigmoid", Init.SIGNED, (sd, v) -> sd.nn.sigmoid(v[0]), s(2, 3));
        add("relu", Init.SIGNED, (sd, v) -> sd.nn.relu(v[0], 0.0), s(2, 3, 2));
        add("leakyRelu 0.1", Init.SIGNED, (sd, v) -> sd.nn.leakyRelu(v[0], 0.1), s(2, 3));
        add("elu", Init.SIGNED, (sd, v) -> sd.nn.elu(v[0]), s(2, 3));
        add("softplus", Init.SIGNED, (sd, v) -> sd.nn.softplus(v[0]), s(2, 3));
        add("gelu", Init.SIGNED, (sd, v) -> sd.nn.gelu(v[0]), s(2, 3, 2));
        add("sin/cos", Init.SIGNED, (sd, v) -> sd.math.sin(v[0]).add(sd.math.cos(v[0])), s(2, 3));
        add("clipByValue [-0.5, 0.5]", Init.SIGNED, (sd, v) -> sd.clipByValue(v[0], -0.5, 0.5), s(3, 4));
        add("math.min without ties", Init.SIGNED, (sd, v) -> sd.math.min(v[0], v[1]), s(2, 3), s(2, 3));
        add("math.max without ties", Init.SIGNED, (sd, v) -> sd.math.max(v[0], v[1]), s(2, 3), s(2, 3));
        add("math.min with ties min(x, x)", Init.SIGNED, (sd, v) -> sd.math.min(v[0], v[0]), s(2, 3));
        add("math.max with ties max(x, x)", Init.SIGNED, (sd, v) -> sd.math.max(v[0], v[0]), s(2, 3));
        add("SafeOps.min/max with ties", Init.SIGNED, (sd, v) -> SafeOps.min(sd, null, v[0], v[0])
                .add(SafeOps.max(sd, null, v[0], v[0])), s(2, 3));
        add("softmax dim -1 [2,3]", Init.SIGNED, (sd, v) -> sd.nn.softmax(v[0], -1), s(2, 3));
        add("softmax dim 0 [2,3]", Init.SIGNED, (sd, v) -> sd.nn.softmax(v[0], 0), s(2, 3));
        add("softmax dim 1 [2,3,4]", Init.SIGNED, (sd, v) -> sd.nn.softmax(v[0], 1), s(2, 3, 4));
        add("softmax dim 3 [2,2,3,3]", Init.SIGNED, (sd, v) -> sd.nn.softmax(v[0], 3), s(2, 2, 3, 3));
    }

    private void reductions() {
        Object[][] configs = {{s(2, 3), new int[] {0}}, {s(2, 3), new int[] {1}}, {s(2, 3, 4), new int[] {1}},
            {s(2, 3, 4), new int[] {0, 2}}, {s(2, 3), new int[0]}};
        for (Object[] cfg : configs) {
            long[] shape = (long[]) cfg[0];
            int[] dims = (int[]) cfg[1];
            String tag = java.util.Arrays.toString(shape) + " dims " + java.util.Arrays.toString(dims);
            add("sum " + tag, Init.SIGNED, (sd, v) -> v[0].sum(dims), shape);
            add("mean " + tag, Init.SIGNED, (sd, v) -> v[0].mean(dims), shape);
            add("max " + tag, Init.SIGNED, (sd, v) -> v[0].max(dims), shape);
            add("min " + tag, Init.SIGNED, (sd, v) -> v[0].min(dims), shape);
            add("sum " + tag + " keepDims", Init.SIGNED, (sd, v) -> v[0].sum(true, dims), shape);
            add("max " + tag + " keepDims", Init.SIGNED, (sd, v) -> v[0].max(true, dims), shape);
            add("prod " + tag, Init.POSITIVE, (sd, v) -> v[0].prod(dims), shape);
            add("norm2 " + tag, Init.SIGNED, (sd, v) -> v[0].norm2(dims), shape);
        }
    }

    private void cumulative() {
        Object[][] configs = {{s(4), 0}, {s(2, 3), 0}, {s(2, 3), 1}, {s(2, 3, 2), 2}};
        for (Object[] cfg : configs) {
            long[] shape = (long[]) cfg[0];
            int axis = (Integer) cfg[1];
            for (boolean exclusive : new boolean[] {false, true}) {
                for (boolean reverse : new boolean[] {false, true}) {
                    String tag = java.util.Arrays.toString(shape) + " axis " + axis + (exclusive ? " exclusive" : "")
                            + (reverse ? " reverse" : "");
                    add("cumsum " + tag, Init.SIGNED, (sd, v) -> sd.cumsum(v[0], exclusive, reverse, axis), shape);
                    add("cumprod " + tag, Init.POSITIVE, (sd, v) -> sd.cumprod(v[0], exclusive, reverse, axis), shape);
                }
            }
        }
    }

    private void moments() {
        Object[][] configs = {{s(4), new int[] {0}}, {s(2, 3), new int[] {1}}, {s(2, 3, 4), new int[] {2}}};
        for (Object[] cfg : configs) {
            long[] shape = (long[]) cfg[0];
            int[] dims = (int[]) cfg[1];
            for (boolean bias : new boolean[] {false, true}) {
                String tag = java.util.Arrays.toString(shape) + " dims " + java.util.Arrays.toString(dims)
                        + (bias ? " biasCorrected" : " population");
                add("variance " + tag, Init.SIGNED, (sd, v) -> sd.variance(v[0], bias, dims), shape);
                add("standardDeviation " + tag, Init.SIGNED, (sd, v) -> sd.standardDeviation(v[0], bias, dims), shape);
            }
        }
        add("moments by hand: mean((x - mean)^2) [2,3] dim 1", Init.SIGNED, (sd, v) ->
                sd.math.square(v[0].sub(v[0].mean(true, 1))).mean(1), s(2, 3));
    }

    private void shapes() {
        add("reshape [2,3,4] -> [6,4]", Init.SIGNED, (sd, v) -> sd.reshape(v[0], 6, 4), s(2, 3, 4));
        add("reshape -1 [2,3,4] -> [-1,2,4]", Init.SIGNED, (sd, v) -> sd.reshape(v[0], -1, 2, 4), s(2, 3, 4));
        add("permute [2,3,4] (2,0,1)", Init.SIGNED, (sd, v) -> sd.permute(v[0], 2, 0, 1), s(2, 3, 4));
        add("permute rank-5 (2,0,3,1,4)", Init.SIGNED, (sd, v) -> sd.permute(v[0], 2, 0, 3, 1, 4), s(2, 2, 3, 2, 2));
        add("transpose [2,3]", Init.SIGNED, (sd, v) -> sd.transpose(v[0]), s(2, 3));
        add("concat dim 0", Init.SIGNED, (sd, v) -> sd.concat(0, v[0], v[1]), s(2, 3), s(1, 3));
        add("concat dim 1 [2,3,2]+[2,1,2]", Init.SIGNED, (sd, v) -> sd.concat(1, v[0], v[1]), s(2, 3, 2), s(2, 1, 2));
        add("slice [3,4] begin (1,1) size (2,-1)", Init.SIGNED, (sd, v) -> sd.slice(v[0], new int[] {1, 1}, 2, -1), s(3, 4));
        add("slice rank-5 then squeeze", Init.SIGNED, (sd, v) -> sd.squeeze(sd.slice(v[0], new int[] {1, 0, 0, 0, 0},
                1, -1, -1, -1, -1), 0), s(3, 2, 2, 2, 2));
        add("stridedSlice [4,5] step 2", Init.SIGNED, (sd, v) -> sd.stridedSlice(v[0], new long[] {0, 1},
                new long[] {4, 5}, 2, 2), s(4, 5));
        add("stridedSlice [3,4] begin/end", Init.SIGNED, (sd, v) -> sd.stridedSlice(v[0], new long[] {1, 0},
                new long[] {3, 3}, 1, 1), s(3, 4));
        add("expandDims / squeeze", Init.SIGNED, (sd, v) -> sd.squeeze(sd.expandDims(v[0], 1), 1).mul(v[0]), s(2, 3));
        add("tile (2,1)", Init.SIGNED, (sd, v) -> sd.tile(v[0], 2, 1), s(2, 3));
        add("stack / unstack", Init.SIGNED, (sd, v) -> {
            SDVariable[] parts = sd.unstack(v[0], 0, 3);
            return sd.stack(1, parts[2], parts[0]);
        }, s(3, 2));
    }

    private void nn() {
        add("layerNorm [2,3,4] dim 2 with bias", Init.SIGNED, (sd, v) -> sd.nn.layerNorm(v[0], v[1], v[2], false, 2),
                s(2, 3, 4), s(4), s(4));
        add("layerNorm [3,5] dim 1 no bias", Init.SIGNED, (sd, v) -> sd.nn.layerNorm(v[0], v[1], false, 1), s(3, 5), s(5));
        add("biasAdd NCHW", Init.SIGNED, (sd, v) -> sd.nn.biasAdd(v[0], v[1], true), s(2, 3, 2, 2), s(3));
        add("SafeOps.sumAlong dim 1 [2,3]", Init.SIGNED, (sd, v) -> SafeOps.sumAlong(sd, null, v[0], 1), s(2, 3));
        add("SafeOps.sumAlong size-1 dim 1 [3,1]", Init.SIGNED, (sd, v) -> SafeOps.sumAlong(sd, null, v[0], 1), s(3, 1));
        add("stableLogSoftmax dim 2 [2,3,4]", Init.SIGNED, (sd, v) -> SafeOps.stableLogSoftmax(sd, null, v[0], 2),
                s(2, 3, 4));
        add("nn.logSoftmax [2,4]", Init.SIGNED, (sd, v) -> sd.nn.logSoftmax(v[0]), s(2, 4));
        add("nn.logSoftmax dim 1 [2,4]", Init.SIGNED, (sd, v) -> sd.nn.logSoftmax(v[0], 1), s(2, 4));
        add("math.logSumExp dim 1 [2,4]", Init.SIGNED, (sd, v) -> sd.math.logSumExp(v[0], 1), s(2, 4));
    }

    private void lookupAndLosses() {
        add("oneHot x mmul embedding (repeated ids)", Init.SIGNED, (sd, v) -> sd.oneHot(
                sd.constant(Nd4j.createFromArray(2, 0, 2, 3)), 5, -1, 1.0, 0.0, DataType.DOUBLE).mmul(v[0]), s(5, 3));
        add("gather axis 0 repeated indices", Init.SIGNED, (sd, v) -> sd.gather(v[0], new int[] {2, 0, 2}, 0), s(5, 3));
        add("gather axis 0 unique indices", Init.SIGNED, (sd, v) -> sd.gather(v[0], new int[] {3, 0, 1}, 0), s(5, 3));
        add("loss.sparseSoftmaxCrossEntropy", Init.SIGNED, (sd, v) -> sd.loss.sparseSoftmaxCrossEntropy(v[0],
                sd.constant(Nd4j.createFromArray(1, 3, 0))), s(3, 4));
        add("loss.softmaxCrossEntropy (dense labels)", Init.SIGNED, (sd, v) -> sd.loss.softmaxCrossEntropy(
                sd.constant(Nd4j.createFromArray(new double[][] {{0, 1, 0, 0}, {0, 0, 0, 1}, {1, 0, 0, 0}})), v[0], null),
                s(3, 4));
    }

    private void convolution() {
        Conv2DConfig same = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).paddingMode(PaddingMode.SAME)
                .dataFormat("NCHW").weightsFormat(org.nd4j.enums.WeightsFormat.YXIO).build();
        add("conv2d 3x3 SAME NCHW", Init.SIGNED, (sd, v) -> sd.cnn.conv2d(v[0], v[1], v[2], same),
                s(2, 2, 4, 4), s(3, 3, 2, 3), s(3));
        Conv2DConfig strided = Conv2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID)
                .dataFormat("NCHW").weightsFormat(org.nd4j.enums.WeightsFormat.YXIO).build();
        add("conv2d 2x2 stride 2 VALID", Init.SIGNED, (sd, v) -> sd.cnn.conv2d(v[0], v[1], v[2], strided),
                s(1, 2, 4, 4), s(2, 2, 2, 2), s(2));
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).paddingMode(PaddingMode.VALID)
                .isNHWC(false).build();
        add("maxPooling2d 2x2", Init.SIGNED, (sd, v) -> sd.cnn.maxPooling2d(v[0], pool), s(2, 2, 4, 4));
        add("avgPooling2d 2x2", Init.SIGNED, (sd, v) -> sd.cnn.avgPooling2d(v[0], pool), s(2, 2, 4, 4));
    }

    private void stochastic() {
        add("nn.dropout p=0.9", Init.SIGNED, (sd, v) -> sd.nn.dropout(v[0], 0.9), s(2, 3));
        add("nn.dropoutInverted p=0.9", Init.SIGNED, (sd, v) -> sd.nn.dropoutInverted(v[0], 0.9), s(2, 3));
    }
}
