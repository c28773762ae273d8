package io.github.dl4jgrpoma.loss;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded test inputs of the loss: logits (when the logits are fed directly), targets, masks, advantages,
 * old and reference log-probs. Masked positions carry large finite garbage in advantages / old / ref and
 * an out-of-range target, to prove they cannot leak into the loss.
 */
final class LossBatch {
    static final double GARBAGE = 1e30;

    final int b;
    final int t;
    final int v;
    double[][][] logits;
    final int[][] targets;
    final double[][] thought;
    final double[][] answer;
    final double[][] adv;
    double[][] old;
    double[][] ref;

    LossBatch(int b, int t, int v) {
        this.b = b;
        this.t = t;
        this.v = v;
        targets = new int[b][t];
        thought = new double[b][t];
        answer = new double[b][t];
        adv = new double[b][t];
        old = new double[b][t];
        ref = new double[b][t];
    }

    boolean carriesLoss(int i, int j) {
        return thought[i][j] + answer[i][j] > 0;
    }

    /**
     * Random masks (last row fully masked), targets, advantages and logits; old/ref are set later from the
     * current log-probs with {@link #perturbOldAndRef}.
     */
    static LossBatch random(int b, int t, int v, long seed) {
        Random rnd = new Random(seed);
        LossBatch x = new LossBatch(b, t, v);
        x.logits = new double[b][t][v];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < v; k++) {
                    x.logits[i][j][k] = 1.5 * rnd.nextGaussian();
                }
                double u = rnd.nextDouble();
                boolean lastRow = i == b - 1;
                if (!lastRow && u < 0.4) {
                    x.thought[i][j] = 1;
                } else if (!lastRow && u < 0.8) {
                    x.answer[i][j] = 1;
                }
                x.targets[i][j] = x.carriesLoss(i, j) ? rnd.nextInt(v) : -1;
                x.adv[i][j] = x.carriesLoss(i, j) ? rnd.nextGaussian() : (rnd.nextBoolean() ? GARBAGE : -GARBAGE);
            }
        }
        return x;
    }

    /**
     * Sets old = logp - delta with |delta| <= 0.1 (ratio inside a 0.2 clip range) or 0.45..0.8 (outside),
     * chosen at random per token, and ref = logp + N(0, 0.5^2). Masked positions get garbage.
     */
    void perturbOldAndRef(double[][] logp, long seed) {
        Random rnd = new Random(seed);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                if (!carriesLoss(i, j)) {
                    old[i][j] = rnd.nextBoolean() ? GARBAGE : -GARBAGE;
                    ref[i][j] = rnd.nextBoolean() ? GARBAGE : -GARBAGE;
                    continue;
                }
                double sign = rnd.nextBoolean() ? 1 : -1;
                double delta = rnd.nextBoolean() ? sign * 0.1 * rnd.nextDouble() : sign * (0.45 + 0.35 * rnd.nextDouble());
                old[i][j] = logp[i][j] - delta;
                ref[i][j] = logp[i][j] + 0.5 * rnd.nextGaussian();
            }
        }
    }

    INDArray logitsArray() {
        return Nd4j.createFromArray(logits);
    }

    /** The placeholder map of the loss (ref only when the graph has a reference placeholder). */
    Map<String, INDArray> feed(LossGraph g) {
        Map<String, INDArray> m = new HashMap<>(g.feed(Nd4j.createFromArray(targets), Nd4j.createFromArray(thought),
                Nd4j.createFromArray(answer), Nd4j.createFromArray(adv), Nd4j.createFromArray(old),
                g.refLogProbs().isPresent() ? Nd4j.createFromArray(ref) : null));
        for (INDArray a : m.values()) {
            if (a.dataType() != DataType.INT32 && a.dataType() != DataType.DOUBLE) {
                throw new IllegalStateException("unexpected type " + a.dataType());
            }
        }
        return m;
    }
}
