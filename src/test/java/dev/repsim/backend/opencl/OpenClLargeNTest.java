package dev.repsim.backend.opencl;

import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.FusedKernels;
import dev.repsim.metrics.CrossCovariance;
import dev.repsim.metrics.KernelStats;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * float32 data at large n: CKA-scale results within 1e-4 of float64 references. Sizes are what a
 * 2-core CI machine running PoCL can afford: the O(n·d²) path at n = 100 000, the O(n²) Gram paths at
 * n = 12 000 (linear) and 8 000 (RBF) with small d, streamed in many row blocks.
 */
class OpenClLargeNTest {
    static OpenClBackend cl;

    @BeforeAll
    static void open() {
        cl = OpenClBackend.open(null);
        cl.setPoisonOutputs(true);
    }

    @AfterAll
    static void close() {
        if (cl != null) cl.close();
    }

    /** Y = X·W + noise with an offset far from 0 (so centring matters), float32. */
    static Matrix[] pair(int n, int dx, int dy, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * dx], y = new float[n * dy];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * (1 + i % dx) + 3.0);
        for (int i = 0; i < n; i++) for (int c = 0; c < dy; c++) {
            y[i * dy + c] = (float) (0.8 * x[i * dx + c % dx] - 0.3 * x[i * dx + (c + 1) % dx] + r.nextGaussian() + 1.5);
        }
        return new Matrix[] {Matrix.of(n, dx, x), Matrix.of(n, dy, y)};
    }

    @Test
    void featureSpaceLinearCkaAt100k() {
        Matrix[] xy = pair(100_000, 6, 5, 1);
        double want = Reference.linearCkaFeature(xy[0], xy[1]);
        CrossCovariance cp = cl.crossCovariance(xy[0], xy[1]);
        double got = Reference.frob2(cp.covXY()) / Math.sqrt(Reference.frob2(cp.covXX()) * Reference.frob2(cp.covYY()));
        assertEquals(want, got, 1e-4, "linear CKA (feature space), n=100000 float32");
        // the Backend interface path (the metric layer centres on the host)
        Matrix xc = xy[0].centered(), yc = xy[1].centered();
        double viaBackend = Reference.frob2(cl.multTransA(xc, yc))
                / Math.sqrt(Reference.frob2(cl.multInner(xc)) * Reference.frob2(cl.multInner(yc)));
        assertEquals(want, viaBackend, 1e-4, "linear CKA via multTransA/multInner, n=100000 float32");
    }

    @Test
    void gramSpaceLinearCkaAt12k() {
        Matrix[] xy = pair(12_000, 3, 2, 2);
        Matrix xc = Reference.centered64(xy[0]).to(Precision.F32), yc = Reference.centered64(xy[1]).to(Precision.F32);
        double want = Reference.linearCkaFeature(xc, yc);   // tr(KHLH) of linear Grams = ‖XᶜᵀYᶜ‖²_F
        cl.setBlockBytes(16L << 20);                          // ~200 rows per block: many streamed blocks
        KernelStats s = cl.kernelStats(xc, FusedKernels.Kernel.LINEAR, yc, FusedKernels.Kernel.LINEAR);
        assertEquals(want, s.biased().cka(), 1e-4, "linear CKA (Gram form, streamed), n=12000 float32");
    }

    @Test
    void rbfCkaAt8k() {
        Matrix[] xy = pair(8_000, 3, 3, 3);
        double sx2 = 4.0, sy2 = 3.0;
        KernelStats ref = streamingReference(xy[0], sx2, xy[1], sy2);
        cl.setBlockBytes(16L << 20);
        KernelStats s = cl.kernelStats(xy[0], FusedKernels.Kernel.gaussian(sx2), xy[1], FusedKernels.Kernel.gaussian(sy2));
        assertEquals(ref.biased().cka(), s.biased().cka(), 1e-4, "RBF CKA, n=8000 float32");
        assertEquals(ref.unbiased().cka(), s.unbiased().cka(), 1e-4, "debiased RBF CKA, n=8000 float32");
    }

    /** ⟨K,L⟩, ‖K‖², ‖L‖², row sums of the RBF Grams in float64 by direct differences, one row at a time. */
    static KernelStats streamingReference(Matrix x, double sx2, Matrix y, double sy2) {
        int n = x.rows();
        double kl = 0, kk = 0, ll = 0;
        double[] rk = new double[n], rl = new double[n], ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double k = Math.exp(-dist2(x, i, j) / (2 * sx2)), l = Math.exp(-dist2(y, i, j) / (2 * sy2));
                kl += k * l; kk += k * k; ll += l * l; rk[i] += k; rl[i] += l;
            }
        }
        return new KernelStats(n, kl, kk, ll, rk, rl, ones, ones.clone());
    }

    static double dist2(Matrix x, int i, int j) {
        double s = 0;
        for (int c = 0; c < x.cols(); c++) { double t = x.get(i, c) - x.get(j, c); s += t * t; }
        return s;
    }
}
