package dev.repsim.onnx;

import static dev.repsim.onnx.Reference.*;

/** Float64 forward passes of the test models, from their weights and the operator definitions only. */
public final class ReferenceForward {
    private ReferenceForward() {}

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    public static double[] cnn(TinyCnn m, float[] input, int batch) {
        Params p = m.params();
        int s = TinyCnn.SIZE;
        double[] c1 = relu(conv(toDouble(input), batch, 3, s, s, p.get("conv1.w"), p.get("conv1.b"), TinyCnn.C1, 3, 3, 2, 1));
        int h1 = (s + 2 - 3) / 2 + 1;
        double[] p1 = maxPool2(c1, batch, TinyCnn.C1, h1, h1);
        int h2 = h1 / 2;
        double[] c2 = relu(conv(p1, batch, TinyCnn.C1, h2, h2, p.get("conv2.w"), p.get("conv2.b"), TinyCnn.C2, 3, 3, 2, 1));
        int h3 = (h2 + 2 - 3) / 2 + 1;
        double[] gap = globalAverage(c2, batch, TinyCnn.C2, h3 * h3);
        return gemmTransB(gap, batch, TinyCnn.C2, p.get("fc.w"), p.get("fc.b"), TinyCnn.OUT);
    }

    public static double[] vit(TinyVit m, float[] input, int batch) {
        Params p = m.params();
        TinyVit.Shape sh = m.shape();
        int d = sh.dim(), t = TinyVit.TOKENS, g = TinyVit.GRID;
        double[] patches = conv(toDouble(input), batch, 3, TinyVit.SIZE, TinyVit.SIZE, p.get("patch.w"), p.get("patch.b"),
                d, TinyVit.PATCH, TinyVit.PATCH, TinyVit.PATCH, 0);
        // tokens [B,T,D]: CLS then patches in row-major grid order, plus position embedding
        double[] x = new double[batch * t * d];
        float[] cls = p.get("cls"), pos = p.get("pos");
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < d; j++) x[(b * t) * d + j] = cls[j] + pos[j];
            for (int q = 0; q < g * g; q++) {
                for (int j = 0; j < d; j++) {
                    x[(b * t + 1 + q) * d + j] = patches[(b * d + j) * g * g + q] + pos[(1 + q) * d + j];
                }
            }
        }
        for (int blk = 0; blk < sh.depth(); blk++) x = block(p, "b" + blk + ".", sh, x, batch);
        return layerNorm(x, d, p.get("lnf.g"), p.get("lnf.b"), TinyVit.LN_EPS);
    }

    private static double[] block(Params p, String pre, TinyVit.Shape sh, double[] x, int batch) {
        int d = sh.dim(), t = TinyVit.TOKENS, hd = sh.headDim();
        int rows = batch * t;
        double eps = TinyVit.LN_EPS;
        double[] h = layerNorm(x, d, p.get(pre + "ln1.g"), p.get(pre + "ln1.b"), eps);
        double[] q = linear(h, rows, d, p.get(pre + "q.w"), p.get(pre + "q.b"), d);
        double[] k = linear(h, rows, d, p.get(pre + "k.w"), p.get(pre + "k.b"), d);
        double[] v = linear(h, rows, d, p.get(pre + "v.w"), p.get(pre + "v.b"), d);
        double[] ctx = new double[rows * d];
        double scale = 1 / Math.sqrt(hd);
        double[] w = new double[t];
        for (int b = 0; b < batch; b++) {
            for (int head = 0; head < sh.heads(); head++) {
                for (int i = 0; i < t; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        double s = 0;
                        for (int c = 0; c < hd; c++) {
                            s += q[(b * t + i) * d + head * hd + c] * k[(b * t + j) * d + head * hd + c];
                        }
                        w[j] = s * scale;
                        max = Math.max(max, w[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) sum += (w[j] = Math.exp(w[j] - max));
                    for (int c = 0; c < hd; c++) {
                        double acc = 0;
                        for (int j = 0; j < t; j++) acc += w[j] / sum * v[(b * t + j) * d + head * hd + c];
                        ctx[(b * t + i) * d + head * hd + c] = acc;
                    }
                }
            }
        }
        double[] out = x.clone();
        double[] o = linear(ctx, rows, d, p.get(pre + "o.w"), p.get(pre + "o.b"), d);
        for (int i = 0; i < out.length; i++) out[i] += o[i];
        double[] h2 = layerNorm(out, d, p.get(pre + "ln2.g"), p.get(pre + "ln2.b"), eps);
        double[] m1 = linear(h2, rows, d, p.get(pre + "mlp1.w"), p.get(pre + "mlp1.b"), sh.mlp());
        for (int i = 0; i < m1.length; i++) m1[i] = gelu(m1[i]);
        double[] m2 = linear(m1, rows, sh.mlp(), p.get(pre + "mlp2.w"), p.get(pre + "mlp2.b"), d);
        for (int i = 0; i < out.length; i++) out[i] += m2[i];
        return out;
    }
}
