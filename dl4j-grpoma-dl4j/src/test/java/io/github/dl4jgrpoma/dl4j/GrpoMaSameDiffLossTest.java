package io.github.dl4jgrpoma.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jgrpoma.loss.GrpoLoss;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.train.PackedBatch;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class GrpoMaSameDiffLossTest {
    private static final int V = 5;
    private static final int T = 6;
    private static final int R = 4;

    /** A packed batch with random tokens, disjoint thought/answer masks, advantages and old log-probs. */
    static PackedBatch randomBatch(long seed, double oldSpread) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] tokens = new int[R][T];
        int[][] targets = new int[R][T];
        double[][] th = new double[R][T];
        double[][] ans = new double[R][T];
        double[][] adv = new double[R][T];
        double[][] old = new double[R][T];
        for (int r = 0; r < R; r++) {
            double rowAdvTh = rng.nextDouble(-1.5, 1.5);
            double rowAdvAns = rng.nextDouble(-1.5, 1.5);
            for (int t = 0; t < T; t++) {
                tokens[r][t] = rng.nextInt(V);
                targets[r][t] = rng.nextInt(V);
                if (t >= 1 && t < 3 && r % 2 == 0) {
                    th[r][t] = 1;                    // thought tokens in every other row only, as BatchPacker lays them
                    adv[r][t] = rowAdvTh;
                } else if (t >= 3 && t < T - (r % 2)) {
                    ans[r][t] = 1;
                    adv[r][t] = rowAdvAns;
                }
                if (th[r][t] + ans[r][t] > 0) {
                    old[r][t] = -Math.log(V) + rng.nextDouble(-oldSpread, oldSpread);
                }
            }
        }
        return new PackedBatch(PolicyInput.of(Nd4j.createFromArray(tokens)), Nd4j.createFromArray(targets),
                Nd4j.createFromArray(th), Nd4j.createFromArray(ans), Nd4j.createFromArray(adv), Nd4j.createFromArray(old),
                new int[R], new int[R], new int[R], 0);
    }

    @Test
    void dl4jGradientCheckPassesOnTinyLstmInDouble() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork net = TinyLstm.doubles(V, 3, 7);
        DataSet ds = GrpoMaLabels.toDataSet(randomBatch(11, 0.6), V, LossConfig.defaults(), DataType.DOUBLE);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ds.getFeatures()).labels(ds.getLabels()).labelMask(ds.getLabelsMaskArray())
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false).subset(true).maxPerParam(12));
        assertTrue(ok, "DL4J gradient check of GrpoMaSameDiffLoss after an LSTM");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequence-mean", "token-mean", "constant"})
    void scoreAndGradientEqualGrpoLossOnTheSameTokens(String aggregation) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        LossConfig config = LossConfig.builder().aggregation(aggregation).thoughtWeight(0.7).epsHigh(0.28).build();
        MultiLayerNetwork net = TinyLstm.build(V, 4, 3, DataType.DOUBLE, new org.nd4j.linalg.learning.config.NoOp(),
                GrpoMaSameDiffLoss.of(config));
        // old log-probs up to 1.2 nats from uniform: some ratios are clipped, some not
        PackedBatch packed = randomBatch(5, 1.2);
        DataSet ds = GrpoMaLabels.toDataSet(packed, V, config, DataType.DOUBLE);
        INDArray logits = net.output(ds.getFeatures());                           // [R,V,T], identity activation
        net.setInput(ds.getFeatures());
        net.setLabels(ds.getLabels());
        net.setLayerMaskArrays(null, ds.getLabelsMaskArray());
        net.computeGradientAndScore();
        double dl4jScore = net.score();

        SameDiff sd = SameDiff.create();
        SDVariable logitVar = sd.var("logits", logits.permute(0, 2, 1).dup('c'));   // [R,T,V]
        LossGraph g = GrpoLoss.attach(sd, logitVar, V, config);
        Map<String, INDArray> feed = g.feed(packed.targets(), packed.thoughtMask(), packed.answerMask(),
                packed.advantages(), packed.oldLogProbs(), null);
        double grpoLoss = sd.output(feed, g.loss()).get(g.loss()).getDouble(0);
        INDArray grpoGrad = sd.calculateGradients(feed, "logits").get("logits");  // [R,T,V]
        assertEquals(grpoLoss, dl4jScore, 1e-6, "DL4J score vs GrpoLoss");

        INDArray labels2d = ds.getLabels().permute(0, 2, 1).dup('c').reshape(R * T, V);
        INDArray pre2d = logits.permute(0, 2, 1).dup('c').reshape(R * T, V);
        INDArray mask2d = ds.getLabelsMaskArray().dup('c').reshape(R * T, 1);
        INDArray grad2d = new GrpoMaSameDiffLoss(config.epsLow(), config.epsHigh())
                .computeGradient(labels2d, pre2d, new ActivationIdentity(), mask2d).div(R);
        INDArray expected = grpoGrad.dup('c').reshape(R * T, V);
        double maxDiff = Transforms.maxAbsDiff(grad2d, expected);
        assertTrue(maxDiff < 1e-6, "dL/dlogits differs from GrpoLoss by " + maxDiff);
        assertTrue(expected.norm2Number().doubleValue() > 1e-3, "the gradient is not trivially zero");
    }

    @Test
    void clipRangeSurvivesTheJsonConfiguration() {
        MultiLayerNetwork net = TinyLstm.build(V, 3, 1, DataType.FLOAT, new org.nd4j.linalg.learning.config.NoOp(),
                new GrpoMaSameDiffLoss(0.1, 0.28));
        org.deeplearning4j.nn.conf.MultiLayerConfiguration back =
                org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        GrpoMaSameDiffLoss loss = (GrpoMaSameDiffLoss) ((org.deeplearning4j.nn.conf.layers.RnnOutputLayer)
                back.getConf(1).getLayer()).getLossFn();
        assertEquals(0.1, loss.epsLow());
        assertEquals(0.28, loss.epsHigh());
    }

    @Test
    void oneHotLabelsAreRejectedWithAClearError() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork net = TinyLstm.doubles(V, 3, 1);
        DataSet ds = GrpoMaLabels.toDataSet(randomBatch(2, 0.1), V, LossConfig.defaults(), DataType.DOUBLE);
        INDArray oneHot = ds.getFeatures();                                         // ordinary next-char labels shape
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.fit(new DataSet(ds.getFeatures(), oneHot, null, ds.getLabelsMaskArray())));
        assertTrue(e.getMessage().contains("GrpoMaLabels"), e.getMessage());
    }

    @Test
    void betaAboveZeroAndUnknownAggregationAreRejected() {
        PackedBatch b = randomBatch(1, 0.1);
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class, () -> GrpoMaLabels.toDataSet(b, V,
                LossConfig.builder().beta(0.04).build(), DataType.DOUBLE));
        assertTrue(beta.getMessage().contains("beta"), beta.getMessage());
        IllegalArgumentException agg = assertThrows(IllegalArgumentException.class, () -> GrpoMaLabels.toDataSet(b, V,
                LossConfig.builder().aggregation("mine").build(), DataType.DOUBLE));
        assertTrue(agg.getMessage().contains("mine"), agg.getMessage());
        IllegalArgumentException vocab = assertThrows(IllegalArgumentException.class,
                () -> GrpoMaLabels.toDataSet(b, 3, LossConfig.defaults(), DataType.DOUBLE));
        assertTrue(vocab.getMessage().contains("vocabulary size 3"), vocab.getMessage());
    }

    private static final class Transforms {
        static double maxAbsDiff(INDArray a, INDArray b) {
            return a.sub(b).amaxNumber().doubleValue();
        }
    }
}
