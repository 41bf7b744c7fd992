package dev.repsim.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.repsim.cli.CliRun;
import dev.repsim.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The TensorFlow.js converter on small generated Keras models, against a plain-loop float64 forward pass
 * written in Keras's own NHWC layout from the layer definitions (TensorFlow's "same" padding puts the odd
 * padding row or column at the end; Flatten reads H, W, C order; depthwise channel c·m + j comes from input
 * channel c). Layout or padding mistakes give O(0.1) differences; float32 rounding stays below 1e-5.
 */
class TfjsToOnnxTest {
    private static final double TOL = 1e-4;

    /** Conv2D stride 2 "same" on an even height (padding 0 above, 1 below), depthwise ×2, BN folded and not, ReLU6, pads, pools, concat, add, flatten, dense. */
    @Test
    void layersMatchKerasSemantics(@TempDir Path dir) throws Exception {
        int h = 6, w = 7, c = 3;
        TfjsFixture f = TfjsFixture.everyLayer(11);
        Path model = f.write(dir.resolve("m"));
        float[] k1 = f.values("conv1/kernel"), b1 = f.values("conv1/bias"), kd = f.values("dw/depthwise_kernel");
        float[][] bn = {f.values("bn/gamma"), f.values("bn/beta"), f.values("bn/moving_mean"), f.values("bn/moving_variance")};
        float[][] bn2 = {f.values("bn2/gamma"), new float[16], f.values("bn2/moving_mean"), f.values("bn2/moving_variance")};
        float[] kw = f.values("dense/kernel"), bw = f.values("dense/bias");

        SplittableRandom r = new SplittableRandom(5);
        double[] x = new double[h * w * c];
        for (int i = 0; i < x.length; i++) x[i] = r.nextDouble();
        // Keras, NHWC
        double[] y = conv(x, h, w, c, k1, b1, 4, 2);
        for (int i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]);
        int h1 = 3, w1 = 4;
        y = depthwise(y, h1, w1, 4, kd, 2);
        y = norm(y, bn, 0.001);
        for (int i = 0; i < y.length; i++) y[i] = Math.min(6, Math.max(0, y[i]));
        double[] padded = pad(y, h1, w1, 8, 1, 0, 0, 1);
        double[] avg = avgPool(padded, h1 + 1, w1 + 1, 8);
        double[] cat = concat(avg, y, h1 * w1, 8, 8);
        double[] max = maxPoolSame(cat, h1, w1, 16);
        double[] z = norm(max, bn2, 0.01);
        for (int i = 0; i < z.length; i++) z[i] += max[i];
        double[] probs = softmax(dense(z, kw, bw, 3));

        Map<String, float[]> got = run(TfjsToOnnx.convert(TfjsModel.read(model)).onnx(), nchw(x, h, w, c), h, w, c);
        assertClose(z, got.get(TfjsToOnnx.FEATURES), "features (Flatten in H, W, C order)");
        assertClose(probs, got.get(TfjsToOnnx.PROBS), "probs");
    }

    @Test
    void quantisedWeightsAreDequantisedAsTensorFlowJsDoes(@TempDir Path dir) throws Exception {
        TfjsFixture f = new TfjsFixture(1).input("in", 1, 1, 2);
        f.layer("flat", "Flatten", "{}");
        f.layer("d8", "Dense", "{\"units\":2,\"activation\":\"linear\",\"use_bias\":false}");
        f.quantised("d8/kernel", new byte[]{0, 1, (byte) 200, (byte) 255}, "{\"dtype\":\"uint8\",\"min\":-0.5,\"scale\":0.01}", 2, 2);
        f.layer("d16", "Dense", "{\"units\":2,\"activation\":\"linear\",\"use_bias\":false}");
        f.quantised("d16/kernel", le16(0, 1, 40000, 65535), "{\"dtype\":\"uint16\",\"min\":-2,\"scale\":0.0001}", 2, 2);
        f.layer("dh", "Dense", "{\"units\":2,\"activation\":\"linear\",\"use_bias\":false}");
        f.quantised("dh/kernel", le16(0x3C00, 0xC000, 0x3555, 0x0001), "{\"dtype\":\"float16\"}", 2, 2);
        TfjsModel m = TfjsModel.read(f.write(dir.resolve("q")));
        assertArrayEquals(new float[]{(float) -0.5, (float) (1 * 0.01 - 0.5), (float) (200 * 0.01 - 0.5), (float) (255 * 0.01 - 0.5)},
                m.weights().get("d8/kernel").values());
        assertArrayEquals(new float[]{-2f, (float) (0.0001 - 2), (float) (40000 * 0.0001 - 2), (float) (65535 * 0.0001 - 2)},
                m.weights().get("d16/kernel").values());
        // IEEE half: 1, -2, 0.333251953125 (0x3555), the smallest subnormal 2^-24
        assertArrayEquals(new float[]{1f, -2f, 0.333251953125f, (float) Math.pow(2, -24)}, m.weights().get("dh/kernel").values());
    }

    @Test
    void unknownLayerIsRefusedByName(@TempDir Path dir) throws Exception {
        TfjsFixture f = new TfjsFixture(1).input("in", 4, 4, 3);
        f.layer("my_lambda", "Lambda", "{}");
        Path m = f.write(dir.resolve("m"));
        InputException e = assertThrows(InputException.class, () -> TfjsToOnnx.convert(TfjsModel.read(m)));
        assertTrue(e.getMessage().startsWith(m.resolve("model.json") + ": layer 'my_lambda' (Lambda) has type 'Lambda'"), e.getMessage());
    }

    @Test
    void badModelsGiveOneLineNamingTheFileAndNoOutput(@TempDir Path dir) throws Exception {
        TfjsFixture f = new TfjsFixture(1).input("in", 2, 2, 1);
        f.layer("flat", "Flatten", "{}");
        f.layer("d", "Dense", "{\"units\":2,\"activation\":\"linear\",\"use_bias\":true}");
        f.weight("d/kernel", 1, 0, 4, 2);
        Path noBias = f.write(dir.resolve("nobias"));
        Path out = dir.resolve("out.onnx");
        CliRun r = CliRun.of("import-tfjs", noBias.toString(), "--out", out.toString());
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(noBias.resolve("model.json") + ": layer 'd' needs weight 'd/bias'"), r.err());
        assertFalse(Files.exists(out));

        Files.write(noBias.resolve("group1-shard1of1.bin"), new byte[5]);
        r = CliRun.of("import-tfjs", noBias.toString(), "--out", out.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("weight shards end inside weight 'd/kernel'"), r.err());

        r = CliRun.of("import-tfjs", dir.resolve("missing").toString(), "--out", out.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(dir.resolve("missing").resolve("model.json") + ": no such file"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void writesTheModelAndNamesItsSignature(@TempDir Path dir) throws Exception {
        TfjsFixture f = new TfjsFixture(2).input("in", 2, 2, 3);
        f.layer("gap", "GlobalAveragePooling2D", "{\"data_format\":\"channels_last\"}");
        f.layer("d", "Dense", "{\"units\":2,\"activation\":\"tanh\",\"use_bias\":false}");
        f.weight("d/kernel", 1, 0, 3, 2);
        Path out = dir.resolve("m.onnx");
        CliRun r = CliRun.of("import-tfjs", f.write(dir.resolve("m")).toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("pixels [B,3,2,2] -> features [B,3], output [B,2]"), r.err());
        assertTrue(Files.size(out) > 0);
    }

    // ---- Keras reference, NHWC, float64 ----

    /** TensorFlow "same": total padding max((out − 1)·s + k − in, 0), the smaller half before. */
    private static int padBefore(int in, int k, int s) {
        int out = (in + s - 1) / s;
        return Math.max((out - 1) * s + k - in, 0) / 2;
    }

    private static double[] conv(double[] x, int h, int w, int c, float[] k, float[] b, int filters, int s) {
        int oh = (h + s - 1) / s, ow = (w + s - 1) / s, pt = padBefore(h, 3, s), pl = padBefore(w, 3, s);
        double[] y = new double[oh * ow * filters];
        for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int o = 0; o < filters; o++) {
            double acc = b[o];
            for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) {
                int yy = i * s - pt + u, xx = j * s - pl + v;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w) continue;
                for (int ci = 0; ci < c; ci++) acc += x[(yy * w + xx) * c + ci] * k[((u * 3 + v) * c + ci) * filters + o];
            }
            y[(i * ow + j) * filters + o] = acc;
        }
        return y;
    }

    private static double[] depthwise(double[] x, int h, int w, int c, float[] k, int mult) {
        double[] y = new double[h * w * c * mult];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int ci = 0; ci < c; ci++) for (int m = 0; m < mult; m++) {
            double acc = 0;
            for (int u = 0; u < 3; u++) for (int v = 0; v < 3; v++) {
                int yy = i - 1 + u, xx = j - 1 + v;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) acc += x[(yy * w + xx) * c + ci] * k[((u * 3 + v) * c + ci) * mult + m];
            }
            y[(i * w + j) * c * mult + ci * mult + m] = acc;
        }
        return y;
    }

    private static double[] norm(double[] x, float[][] p, double eps) {
        int c = p[0].length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i % c;
            y[i] = p[0][ch] * (x[i] - p[2][ch]) / Math.sqrt(p[3][ch] + eps) + p[1][ch];
        }
        return y;
    }

    private static double[] pad(double[] x, int h, int w, int c, int top, int bottom, int left, int right) {
        int ph = h + top + bottom, pw = w + left + right;
        double[] y = new double[ph * pw * c];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int ch = 0; ch < c; ch++) {
            y[((i + top) * pw + j + left) * c + ch] = x[(i * w + j) * c + ch];
        }
        return y;
    }

    /** 2×2 average, stride 1, valid. */
    private static double[] avgPool(double[] x, int h, int w, int c) {
        double[] y = new double[(h - 1) * (w - 1) * c];
        for (int i = 0; i < h - 1; i++) for (int j = 0; j < w - 1; j++) for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int u = 0; u < 2; u++) for (int v = 0; v < 2; v++) s += x[((i + u) * w + j + v) * c + ch];
            y[(i * (w - 1) + j) * c + ch] = s / 4;
        }
        return y;
    }

    /** 2×2 max, stride 2, "same": positions past the edge are left out. */
    private static double[] maxPoolSame(double[] x, int h, int w, int c) {
        int oh = (h + 1) / 2, ow = (w + 1) / 2, pt = padBefore(h, 2, 2), pl = padBefore(w, 2, 2);
        double[] y = new double[oh * ow * c];
        for (int i = 0; i < oh; i++) for (int j = 0; j < ow; j++) for (int ch = 0; ch < c; ch++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int u = 0; u < 2; u++) for (int v = 0; v < 2; v++) {
                int yy = 2 * i - pt + u, xx = 2 * j - pl + v;
                if (yy >= 0 && yy < h && xx >= 0 && xx < w) m = Math.max(m, x[(yy * w + xx) * c + ch]);
            }
            y[(i * ow + j) * c + ch] = m;
        }
        return y;
    }

    private static double[] concat(double[] a, double[] b, int positions, int ca, int cb) {
        double[] y = new double[positions * (ca + cb)];
        for (int p = 0; p < positions; p++) {
            System.arraycopy(a, p * ca, y, p * (ca + cb), ca);
            System.arraycopy(b, p * cb, y, p * (ca + cb) + ca, cb);
        }
        return y;
    }

    private static double[] dense(double[] x, float[] k, float[] b, int units) {
        double[] y = new double[units];
        for (int o = 0; o < units; o++) {
            y[o] = b[o];
            for (int i = 0; i < x.length; i++) y[o] += x[i] * k[i * units + o];
        }
        return y;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY, s = 0;
        for (double v : z) max = Math.max(max, v);
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) s += p[i] = Math.exp(z[i] - max);
        for (int i = 0; i < z.length; i++) p[i] /= s;
        return p;
    }

    // ---- helpers ----

    private static float[] nchw(double[] x, int h, int w, int c) {
        float[] y = new float[x.length];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int ch = 0; ch < c; ch++) y[(ch * h + i) * w + j] = (float) x[(i * w + j) * c + ch];
        return y;
    }

    private static byte[] le16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static Map<String, float[]> run(byte[] onnx, float[] input, int h, int w, int c) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(onnx, o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{input.length / ((long) c * h * w), c, h, w});
                 OrtSession.Result r = s.run(Map.of(TinyModel.INPUT, t))) {
                Map<String, float[]> out = new java.util.HashMap<>();
                for (var e : r) {
                    FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] f = new float[fb.remaining()];
                    fb.get(f);
                    out.put(e.getKey(), f);
                }
                return out;
            }
        }
    }

    private static void assertClose(double[] want, float[] got, String what) {
        assertNotNull(got, what + " missing");
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 1e-2, what + ": reference is degenerate");
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(got[i] - want[i]) <= TOL * Math.max(1, Math.abs(want[i])), what + "[" + i + "]: onnx " + got[i] + " vs keras " + want[i]);
        }
    }
}
