package dev.repsim.backend;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

import java.util.Random;

/** Structured test matrices (row-major float64) and the residual norms the factorisation tests bound. */
final class TestMatrices {
    static final double EPS = Math.ulp(1.0);

    private TestMatrices() {}

    static double[] gaussian(int m, int n, long seed) {
        Random r = new Random(seed);
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        return a;
    }

    /** {diagonal, off-diagonal} of a tridiagonal or bidiagonal of order n, Gaussian (drawn in turn from one seed). */
    static double[][] gaussianDiagonals(int n, long seed) {
        Random r = new Random(seed);
        double[] d = new double[n], e = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextGaussian();
            e[i] = r.nextGaussian();
        }
        return new double[][] {d, e};
    }

    /**
     * {diagonal, off-diagonal} of {@code blocks} copies of Wilkinson's W⁺₂₁ (diagonal |10 − i| + shift,
     * couplings 1), glued end to end by {@code glue}: clusters of equal values in every half of a split.
     */
    static double[][] gluedWilkinson(int blocks, double glue, double shift) {
        int block = 21, n = block * blocks;
        double[] d = new double[n], e = new double[n];
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < block; i++) {
                d[b * block + i] = Math.abs(10 - i) + shift;
                e[b * block + i] = i == block - 1 ? glue : 1.0;
            }
        }
        return new double[][] {d, e};
    }

    /** {diagonal, off-diagonal} graded over 12 decades: d_i = 10^(−i/10), e_i = d_i / 2. */
    static double[][] gradedDiagonals(int n) {
        double[] d = new double[n], e = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = Math.pow(10, -i / 10.0);
            e[i] = 0.5 * Math.pow(10, -i / 10.0);
        }
        return new double[][] {d, e};
    }

    static double[] randomSymmetric(int d, long seed) {
        double[] g = gaussian(d, d, seed), a = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) a[i * d + j] = g[i * d + j] + g[j * d + i];
        return a;
    }

    /** A random orthogonal d × d matrix (Q of the QR of a Gaussian one). */
    static double[] orthogonal(int d, long seed) {
        RealMatrix q = new QRDecomposition(new Array2DRowRealMatrix(square(gaussian(d, d, seed), d, d))).getQ();
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) out[i * d + j] = q.getEntry(i, j);
        return out;
    }

    /** U diag(s) Vᵀ for random orthogonal U (m × m) and V (n × n), s padded with zeros to min(m, n). */
    static double[] withSpectrum(int m, int n, double[] s, long seed) {
        double[] u = orthogonal(m, seed), v = orthogonal(n, seed + 1), a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int t = 0; t < s.length; t++) x += u[i * m + t] * s[t] * v[j * n + t];
                a[i * n + j] = x;
            }
        }
        return a;
    }

    /** Q diag(λ) Qᵀ, symmetrised exactly. */
    static double[] symmetricWithSpectrum(double[] lambda, long seed) {
        int d = lambda.length;
        double[] q = orthogonal(d, seed), a = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double x = 0;
                for (int t = 0; t < d; t++) x += q[i * d + t] * lambda[t] * q[j * d + t];
                a[i * d + j] = a[j * d + i] = x;
            }
        }
        return a;
    }

    static double[][] square(double[] a, int m, int n) {
        double[][] out = new double[m][n];
        for (int i = 0; i < m; i++) System.arraycopy(a, i * n, out[i], 0, n);
        return out;
    }

    static double frobenius(double[] a) {
        double s = 0;
        for (double x : a) s += x * x;
        return Math.sqrt(s);
    }

    /** ‖QᵀQ − I‖_F for the k columns of the row-major rows × k {@code q}. */
    static double columnOrthogonality(double[] q, int rows, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < k; r++) {
                double x = p == r ? -1.0 : 0.0;
                for (int i = 0; i < rows; i++) x += q[i * k + p] * q[i * k + r];
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    /** ‖Q Qᵀ − I‖_F for the k rows of the row-major k × cols {@code q}. */
    static double rowOrthogonality(double[] q, int k, int cols) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            for (int r = 0; r < k; r++) {
                double x = p == r ? -1.0 : 0.0;
                for (int j = 0; j < cols; j++) x += q[p * cols + j] * q[r * cols + j];
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }
}
