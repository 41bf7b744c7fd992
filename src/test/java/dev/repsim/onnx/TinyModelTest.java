package dev.repsim.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ONNX Runtime's output of the built models against the float64 reference forward pass. Tolerance:
 * |ort − ref| ≤ 1e-4 + 1e-4·|ref| per element; float32 accumulation over at most 768 terms of O(1)
 * values (patch conv) gives errors of order 1e-6, so the bound is loose enough for any reduction order
 * and tight enough to catch a wrong layout, axis or operator (those give O(0.1) differences).
 */
class TinyModelTest {
    private static final double ABS = 1e-4, REL = 1e-4;

    private static float[] randomImages(int batch, int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * 3 * size * size];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static float[] runOrt(TinyModel m, float[] input, int batch) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(m.toOnnx(), o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{batch, 3, m.size(), m.size()});
                 OrtSession.Result r = s.run(Map.of(TinyModel.INPUT, t))) {
                OnnxTensor out = (OnnxTensor) r.get(m.outputName()).orElseThrow();
                assertArrayEquals(m.outputShape(batch), out.getInfo().getShape());
                FloatBuffer fb = out.getFloatBuffer();
                float[] f = new float[fb.remaining()];
                fb.get(f);
                return f;
            }
        }
    }

    private static void assertClose(double[] ref, float[] got) {
        assertEquals(ref.length, got.length);
        double worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double err = Math.abs(got[i] - ref[i]);
            assertTrue(err <= ABS + REL * Math.abs(ref[i]), "element " + i + ": ort " + got[i] + " vs ref " + ref[i]);
            worst = Math.max(worst, err);
        }
        assertTrue(Arrays.stream(ref).map(Math::abs).max().orElse(0) > 1e-2, "reference output is degenerate");
    }

    @Test
    void tinyCnnMatchesReference() throws Exception {
        TinyCnn m = new TinyCnn(7);
        float[] x = randomImages(3, m.size(), 1);
        assertClose(ReferenceForward.cnn(m, x, 3), runOrt(m, x, 3));
    }

    @Test
    void tinyVitMatchesReference() throws Exception {
        TinyVit m = new TinyVit(7);
        float[] x = randomImages(2, m.size(), 2);
        assertClose(ReferenceForward.vit(m, x, 2), runOrt(m, x, 2));
    }

    @Test
    void deeperWiderVitMatchesReference() throws Exception {
        // two blocks, 4 heads: checks the block chaining and head split beyond the tiny shape
        TinyVit m = new TinyVit(8, new TinyVit.Shape(48, 4, 96, 2));
        float[] x = randomImages(1, m.size(), 4);
        assertClose(ReferenceForward.vit(m, x, 1), runOrt(m, x, 1));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherWeights() {
        assertArrayEquals(new TinyVit(3).toOnnx(), new TinyVit(3).toOnnx());
        assertFalse(Arrays.equals(new TinyCnn(3).toOnnx(), new TinyCnn(4).toOnnx()));
    }

    @Test
    void referenceCatchesALayoutError() throws Exception {
        // the check can fail: a different seed's weights give a clearly different output
        TinyCnn a = new TinyCnn(1), b = new TinyCnn(2);
        float[] x = randomImages(1, a.size(), 3);
        double[] ref = ReferenceForward.cnn(a, x, 1);
        float[] other = runOrt(b, x, 1);
        assertThrows(AssertionError.class, () -> assertClose(ref, other));
    }
}
