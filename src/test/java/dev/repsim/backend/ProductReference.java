package dev.repsim.backend;

import dev.repsim.linalg.Matrix;

import java.util.Random;

/**
 * Plain float64 triple loops for the three products, and Σ|a||b| (the scale of the rounding error of
 * any summation order: |ĉ − c| ≤ γ_n Σ_k |a_k||b_k| with γ_n ≈ n·u, Higham 2002, §3.1).
 */
final class ProductReference {
    private ProductReference() {}

    /** AᵀB (abs: Σ_k |A_ki||B_kj|). */
    static double[] transA(Matrix a, Matrix b, boolean abs) {
        int n = a.rows(), p = a.cols(), q = b.cols();
        double[] c = new double[p * q];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    double x = a.get(k, i) * b.get(k, j);
                    s += abs ? Math.abs(x) : x;
                }
                c[i * q + j] = s;
            }
        }
        return c;
    }

    /** ABᵀ (abs: Σ_k |A_ik||B_jk|). */
    static double[] transB(Matrix a, Matrix b, boolean abs) {
        int m = a.rows(), n = b.rows(), d = a.cols();
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double x = a.get(i, k) * b.get(j, k);
                    s += abs ? Math.abs(x) : x;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    /** Standard normal entries, in float64 or (rounded) float32. */
    static Matrix random(int rows, int cols, boolean f32, long seed) {
        Random r = new Random(seed);
        if (f32) {
            float[] f = new float[rows * cols];
            for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
            return Matrix.of(rows, cols, f);
        }
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
        return Matrix.of(rows, cols, d);
    }
}
