package io.github.dl4jgrpoma.transformer;

import java.util.HashMap;
import java.util.Map;

/**
 * Independent plain-Java (double) forward pass of the transformer described in {@link TransformerPolicy}'s
 * Javadoc, used as a test oracle. LayerNorm: {@code (x - mean) / sqrt(var)} with population variance (DL4J's
 * layer_norm, measured: no epsilon visible at 1e-7); GELU: {@code x * sigmoid(1.702 x)} (DL4J's gelu, measured).
 * DL4J agrees with it to about 4e-9 in double (its internal constants differ in the last digits).
 */
final class ReferenceTransformer {
    private final TransformerConfig c;
    private final Map<String, double[]> w = new HashMap<>();

    ReferenceTransformer(TransformerPolicy p) {
        this.c = p.config();
        for (String n : p.trainableVariables()) {
            w.put(n, p.weight(n).dup().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble());
        }
    }

    /** Logits {@code [n][V]} of one sequence of n tokens. */
    double[][] logits(int[] tokens) {
        int n = tokens.length;
        int d = c.width();
        int h = c.heads();
        int dh = c.headWidth();
        int f = c.mlpWidth();
        double[][] x = new double[n][d];
        for (int t = 0; t < n; t++) {
            for (int j = 0; j < d; j++) {
                x[t][j] = w.get("wte")[tokens[t] * d + j] + w.get("wpe")[t * d + j];
            }
        }
        for (int l = 0; l < c.layers(); l++) {
            String p = "h" + l + "_";
            double[][] a = layerNorm(x, w.get(p + "ln1_g"), w.get(p + "ln1_b"));
            double[][] qkv = affine(a, w.get(p + "wqkv"), w.get(p + "bqkv"), d, 3 * d);
            double[][] y = new double[n][d];
            for (int head = 0; head < h; head++) {
                for (int t = 0; t < n; t++) {
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        double dot = 0;
                        for (int j = 0; j < dh; j++) {
                            dot += qkv[t][head * dh + j] * qkv[u][d + head * dh + j];
                        }
                        s[u] = dot / Math.sqrt(dh);
                        max = Math.max(max, s[u]);
                    }
                    double z = 0;
                    for (int u = 0; u <= t; u++) {
                        s[u] = Math.exp(s[u] - max);
                        z += s[u];
                    }
                    for (int u = 0; u <= t; u++) {
                        for (int j = 0; j < dh; j++) {
                            y[t][head * dh + j] += s[u] / z * qkv[u][2 * d + head * dh + j];
                        }
                    }
                }
            }
            add(x, affine(y, w.get(p + "wo"), w.get(p + "bo"), d, d));
            double[][] m = affine(layerNorm(x, w.get(p + "ln2_g"), w.get(p + "ln2_b")), w.get(p + "w1"), w.get(p + "b1"), d, f);
            for (double[] row : m) {
                for (int j = 0; j < f; j++) {
                    row[j] = row[j] / (1 + Math.exp(-1.702 * row[j]));
                }
            }
            add(x, affine(m, w.get(p + "w2"), w.get(p + "b2"), f, d));
        }
        return affine(layerNorm(x, w.get("lnf_g"), w.get("lnf_b")), w.get("w_head"), w.get("b_head"), d, c.vocabSize());
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < x[t].length; j++) {
                x[t][j] += y[t][j];
            }
        }
    }

    private static double[][] layerNorm(double[][] x, double[] g, double[] b) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= d;
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= d;
            out[t] = new double[d];
            for (int j = 0; j < d; j++) {
                out[t][j] = (x[t][j] - mean) / Math.sqrt(var) * g[j] + b[j];
            }
        }
        return out;
    }

    private static double[][] affine(double[][] x, double[] wm, double[] bias, int in, int out) {
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = bias[o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * wm[i * out + o];
                }
                y[t][o] = s;
            }
        }
        return y;
    }
}
