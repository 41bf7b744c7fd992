package dev.repsim.backend.opencl;

import dev.repsim.linalg.Matrix;
import dev.repsim.metrics.FusedKernels;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/** Plain-loop float64 references for the OpenCL kernels (no blocking, no tricks: easy to trust). */
final class Reference {
    private Reference() {}

    static Matrix random(int n, int d, long seed, boolean f32) {
        Random r = new Random(seed);
        if (f32) {
            float[] f = new float[n * d];
            for (int i = 0; i < f.length; i++) f[i] = (float) (r.nextGaussian() + 0.3);
            return Matrix.of(n, d, f);
        }
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian() + 0.3;
        return Matrix.of(n, d, v);
    }

    /** AᵀB */
    static double[] transA(Matrix a, Matrix b) {
        int n = a.rows(), p = a.cols(), q = b.cols();
        double[] c = new double[p * q];
        for (int r = 0; r < n; r++) for (int i = 0; i < p; i++) for (int j = 0; j < q; j++) c[i * q + j] += a.get(r, i) * b.get(r, j);
        return c;
    }

    /** Σ_r |a_ri||b_rj|: the scale of the rounding error of (AᵀB)_ij. */
    static double[] transAAbs(Matrix a, Matrix b) {
        int n = a.rows(), p = a.cols(), q = b.cols();
        double[] c = new double[p * q];
        for (int r = 0; r < n; r++) for (int i = 0; i < p; i++) for (int j = 0; j < q; j++) c[i * q + j] += Math.abs(a.get(r, i) * b.get(r, j));
        return c;
    }

    /** ABᵀ */
    static double[] transB(Matrix a, Matrix b) {
        int m = a.rows(), n = b.rows(), d = a.cols();
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) s += a.get(i, k) * b.get(j, k);
            c[i * n + j] = s;
        }
        return c;
    }

    /** ‖a_i − b_j‖² by differences (no expansion). */
    static double[] sqDist(Matrix a, Matrix b) {
        int m = a.rows(), n = b.rows(), d = a.cols();
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) { double t = a.get(i, k) - b.get(j, k); s += t * t; }
            c[i * n + j] = s;
        }
        return c;
    }

    static double[] gram(Matrix x, FusedKernels.Kernel k) {
        double[] g = k.rbf() ? sqDist(x, x) : transB(x, x);
        if (k.rbf()) for (int i = 0; i < g.length; i++) g[i] = Math.exp(-k.gamma() * g[i]);
        return g;
    }

    /** tr(KHLH) with the centring matrix H built explicitly. */
    static double hsicBiased(double[] k, double[] l, int n) {
        double[] kc = centerGram(k, n), lc = centerGram(l, n);
        double s = 0;
        for (int i = 0; i < n * n; i++) s += kc[i] * lc[i];
        return s;
    }

    static double[] centerGram(double[] k, int n) {
        double[] row = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { row[i] += k[i * n + j]; all += k[i * n + j]; }
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i * n + j] = k[i * n + j] - row[i] / n - row[j] / n + all / ((double) n * n);
        return c;
    }

    /** Song et al. (2012) unbiased HSIC, written directly from K̃ and L̃ (diagonals zeroed). */
    static double hsicUnbiased(double[] k, double[] l, int n) {
        double[] kt = k.clone(), lt = l.clone();
        for (int i = 0; i < n; i++) { kt[i * n + i] = 0; lt[i * n + i] = 0; }
        double tr = 0, sk = 0, sl = 0;
        for (int i = 0; i < n * n; i++) { tr += kt[i] * lt[i]; sk += kt[i]; sl += lt[i]; }
        double[] k1 = new double[n], l1 = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { k1[i] += kt[i * n + j]; l1[i] += lt[i * n + j]; }
        double cross = 0;
        for (int i = 0; i < n; i++) cross += k1[i] * l1[i];
        return (tr + sk * sl / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * cross) / ((double) n * (n - 3.0));
    }

    static double cka(double[] k, double[] l, int n, boolean debiased) {
        if (debiased) return hsicUnbiased(k, l, n) / Math.sqrt(hsicUnbiased(k, k, n) * hsicUnbiased(l, l, n));
        return hsicBiased(k, l, n) / Math.sqrt(hsicBiased(k, k, n) * hsicBiased(l, l, n));
    }

    /** Feature-space linear CKA ‖YᶜᵀXᶜ‖²_F / (‖XᶜᵀXᶜ‖_F ‖YᶜᵀYᶜ‖_F) in float64 from the (possibly float32) data. */
    static double linearCkaFeature(Matrix x, Matrix y) {
        Matrix xc = centered64(x), yc = centered64(y);
        return frob2(transA(xc, yc)) / Math.sqrt(frob2(transA(xc, xc)) * frob2(transA(yc, yc)));
    }

    static Matrix centered64(Matrix x) {
        int n = x.rows(), d = x.cols();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) mean[c] += x.get(i, c);
        for (int c = 0; c < d; c++) mean[c] /= n;
        double[] v = new double[n * d];
        for (int i = 0; i < n; i++) for (int c = 0; c < d; c++) v[i * d + c] = x.get(i, c) - mean[c];
        return Matrix.of(n, d, v);
    }

    static double frob2(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return s;
    }

    /** The k nearest other rows by exact differences, ties by index. */
    static int[] knn(Matrix z, int k, boolean cosine) {
        int n = z.rows();
        Matrix u = cosine ? unitRows(z) : z;
        double[] d = sqDist(u, u);
        int[] out = new int[n * k];
        for (int i = 0; i < n; i++) {
            final int row = i;
            int[] order = IntStream.range(0, n).filter(j -> j != row).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> d[row * n + j]).thenComparingInt(j -> j))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            System.arraycopy(order, 0, out, i * k, k);
        }
        return out;
    }

    static Matrix unitRows(Matrix z) {
        int n = z.rows(), d = z.cols();
        double[] v = new double[n * d];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) s += z.get(i, c) * z.get(i, c);
            double norm = Math.sqrt(s);
            for (int c = 0; c < d; c++) v[i * d + c] = z.get(i, c) / norm;
        }
        return Matrix.of(n, d, v);
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            double e = Math.abs(a[i] - b[i]);
            if (!(e <= m)) m = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
        }
        return m;
    }

    static String head(double[] a) { return Arrays.toString(Arrays.copyOf(a, Math.min(6, a.length))); }
}
