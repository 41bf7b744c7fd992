package dev.repsim.onnx;

import org.apache.commons.math3.special.Erf;

/**
 * Plain-loop float64 versions of the ONNX operators the test models use, written from the operator
 * definitions (onnx/docs/Operators.md) and independent of ONNX Runtime. Tensors are row-major arrays.
 */
final class Reference {
    private Reference() {}

    /** Conv (group 1): x [B,C,H,W], w [K,C,kh,kw], b [K], symmetric padding; returns [B,K,OH,OW]. */
    static double[] conv(double[] x, int batch, int c, int h, int w, float[] weight, float[] bias,
                         int k, int kh, int kw, int stride, int pad) {
        int oh = (h + 2 * pad - kh) / stride + 1;
        int ow = (w + 2 * pad - kw) / stride + 1;
        double[] y = new double[batch * k * oh * ow];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < k; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double s = bias[o];
                        for (int ci = 0; ci < c; ci++) {
                            for (int u = 0; u < kh; u++) {
                                int yy = i * stride - pad + u;
                                if (yy < 0 || yy >= h) continue;
                                for (int v = 0; v < kw; v++) {
                                    int xx = j * stride - pad + v;
                                    if (xx < 0 || xx >= w) continue;
                                    s += x[((n * c + ci) * h + yy) * w + xx] * weight[((o * c + ci) * kh + u) * kw + v];
                                }
                            }
                        }
                        y[((n * k + o) * oh + i) * ow + j] = s;
                    }
                }
            }
        }
        return y;
    }

    static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.max(0, x[i]);
        return y;
    }

    /** MaxPool with a 2x2 window and stride 2, no padding: [B,C,H,W] to [B,C,H/2,W/2]. */
    static double[] maxPool2(double[] x, int batch, int c, int h, int w) {
        int oh = h / 2, ow = w / 2;
        double[] y = new double[batch * c * oh * ow];
        for (int p = 0; p < batch * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < 2; u++) {
                        for (int v = 0; v < 2; v++) m = Math.max(m, x[(p * h + 2 * i + u) * w + 2 * j + v]);
                    }
                    y[(p * oh + i) * ow + j] = m;
                }
            }
        }
        return y;
    }

    /** GlobalAveragePool + Flatten: [B,C,H,W] to [B,C]. */
    static double[] globalAverage(double[] x, int batch, int c, int hw) {
        double[] y = new double[batch * c];
        for (int p = 0; p < batch * c; p++) {
            double s = 0;
            for (int i = 0; i < hw; i++) s += x[p * hw + i];
            y[p] = s / hw;
        }
        return y;
    }

    /** y = x Wᵀ + b with x [M,K], W [N,K] (Gemm with transB = 1). */
    static double[] gemmTransB(double[] x, int m, int k, float[] weight, float[] bias, int n) {
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias[j];
                for (int t = 0; t < k; t++) s += x[i * k + t] * weight[j * k + t];
                y[i * n + j] = s;
            }
        }
        return y;
    }

    /** y = x W + b with x [M,K], W [K,N] (MatMul then Add). */
    static double[] linear(double[] x, int m, int k, float[] weight, float[] bias, int n) {
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bias[j];
                for (int t = 0; t < k; t++) s += x[i * k + t] * weight[t * n + j];
                y[i * n + j] = s;
            }
        }
        return y;
    }

    /** LayerNormalization over the last axis of width d: (x − mean)/sqrt(var + eps)·γ + β, biased variance. */
    static double[] layerNorm(double[] x, int d, float[] gamma, float[] beta, double eps) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double mean = 0;
            for (int i = 0; i < d; i++) mean += x[r * d + i];
            mean /= d;
            double var = 0;
            for (int i = 0; i < d; i++) var += (x[r * d + i] - mean) * (x[r * d + i] - mean);
            var /= d;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < d; i++) y[r * d + i] = (x[r * d + i] - mean) * inv * gamma[i] + beta[i];
        }
        return y;
    }

    /** GELU, exact form 0.5·x·(1 + erf(x/√2)). */
    static double gelu(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }
}
