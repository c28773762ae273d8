package io.github.dl4jgrpoma.loss;

/**
 * Independent plain-Java reference of the GRPO-MA loss and metrics, written from the equations of the task
 * (loops over doubles; no SameDiff, no code shared with the library apart from reading config values).
 */
final class ReferenceGrpoLoss {

    /** Reference outputs. */
    record Result(double loss, double[][] tokenLogp, double clipLow, double clipHigh, double approxKl,
                  double ratioMean, double refKl, double entropy) {
    }

    private ReferenceGrpoLoss() {
    }

    /** log_softmax(logits[b][t])[v] computed with the max shift. */
    static double[][][] logSoftmax(double[][][] logits) {
        int b = logits.length;
        int t = logits[0].length;
        int v = logits[0][0].length;
        double[][][] out = new double[b][t][v];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < v; k++) {
                    max = Math.max(max, logits[i][j][k]);
                }
                double sum = 0;
                for (int k = 0; k < v; k++) {
                    sum += Math.exp(logits[i][j][k] - max);
                }
                double lse = max + Math.log(sum);
                for (int k = 0; k < v; k++) {
                    out[i][j][k] = logits[i][j][k] - lse;
                }
            }
        }
        return out;
    }

    /** Log-prob of the target per position (0 when the target is out of range). */
    static double[][] tokenLogp(double[][][] logits, int[][] targets) {
        double[][][] lp = logSoftmax(logits);
        double[][] out = new double[targets.length][targets[0].length];
        for (int i = 0; i < targets.length; i++) {
            for (int j = 0; j < targets[0].length; j++) {
                int y = targets[i][j];
                out[i][j] = y >= 0 && y < lp[i][j].length ? lp[i][j][y] : 0.0;
            }
        }
        return out;
    }

    static Result compute(LossBatch in, LossConfig cfg) {
        int rows = in.b;
        int len = in.t;
        double[][][] lp = logSoftmax(in.logits);
        double[][] logp = tokenLogp(in.logits, in.targets);
        double[][] o = new double[rows][len];
        double tokens = 0;
        double clipLow = 0;
        double clipHigh = 0;
        double approxKl = 0;
        double ratioSum = 0;
        double refKl = 0;
        double entropy = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < len; j++) {
                if (in.thought[i][j] == 0 && in.answer[i][j] == 0) {
                    continue;
                }
                tokens++;
                double a = in.adv[i][j];
                double r = Math.exp(logp[i][j] - in.old[i][j]);
                double s1 = r * a;
                double clipped = Math.max(1 - cfg.epsLow(), Math.min(1 + cfg.epsHigh(), r));
                double s2 = clipped * a;
                double value = Math.min(s1, s2);
                if (cfg.beta() > 0) {
                    double kl = cfg.klEstimator() == KlEstimator.K2
                            ? 0.5 * (logp[i][j] - in.ref[i][j]) * (logp[i][j] - in.ref[i][j])
                            : Math.exp(in.ref[i][j] - logp[i][j]) - (in.ref[i][j] - logp[i][j]) - 1;
                    value -= cfg.beta() * kl;
                    refKl += kl;
                }
                o[i][j] = value;
                if (a < 0 && r < 1 - cfg.epsLow()) {
                    clipLow++;
                }
                if (a > 0 && r > 1 + cfg.epsHigh()) {
                    clipHigh++;
                }
                approxKl += r - 1 - Math.log(r);                      // KL(old || current), samples from old
                ratioSum += r;
                double h = 0;
                for (int k = 0; k < in.v; k++) {
                    h -= Math.exp(lp[i][j][k]) * lp[i][j][k];
                }
                entropy += h;
            }
        }
        double loss = aggregate(in, cfg, o);
        double n = Math.max(1, tokens);
        return new Result(loss, logp, clipLow / n, clipHigh / n, approxKl / n, ratioSum / n,
                cfg.beta() > 0 ? refKl / n : Double.NaN, entropy / n);
    }

    private static double aggregate(LossBatch in, LossConfig cfg, double[][] o) {
        double w = cfg.thoughtWeight();
        switch (cfg.aggregation()) {
            case "sequence-mean": {
                double sumTh = 0;
                double sumAns = 0;
                int rowsTh = 0;
                int rowsAns = 0;
                for (int i = 0; i < in.b; i++) {
                    double th = 0;
                    double nTh = 0;
                    double ans = 0;
                    double nAns = 0;
                    for (int j = 0; j < in.t; j++) {
                        if (in.thought[i][j] == 1) {
                            th += o[i][j];
                            nTh++;
                        }
                        if (in.answer[i][j] == 1) {
                            ans += o[i][j];
                            nAns++;
                        }
                    }
                    if (nTh > 0) {
                        sumTh += th / nTh;
                        rowsTh++;
                    }
                    if (nAns > 0) {
                        sumAns += ans / nAns;
                        rowsAns++;
                    }
                }
                return -(w * sumTh / Math.max(1, rowsTh) + sumAns / Math.max(1, rowsAns));
            }
            case "token-mean":
            case "constant": {
                double sum = 0;
                int count = 0;
                for (int i = 0; i < in.b; i++) {
                    for (int j = 0; j < in.t; j++) {
                        sum += (w * in.thought[i][j] + in.answer[i][j]) * o[i][j];
                        count += (int) (in.thought[i][j] + in.answer[i][j]);
                    }
                }
                if (cfg.aggregation().equals("token-mean")) {
                    return -sum / Math.max(1, count);
                }
                double c = cfg.constantNormalizer() > 0 ? cfg.constantNormalizer() : in.b * in.t;
                return -sum / c;
            }
            default:
                throw new IllegalArgumentException("reference has no mode " + cfg.aggregation());
        }
    }
}
