package dev.repsim.backend;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;

import static dev.repsim.backend.TestMatrices.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Cholesky} against Commons Math's float64 Cholesky factor, inverted by its LU solver. For A with
 * condition number κ the computed U⁻¹ errs by O(dεκ) relative to its largest entry (Higham 2002, §10.1
 * and §14.2): both bounds checked here, |X − X_ref| and |XᵀAX − I|, are 8dεκ. Sizes straddle the vector
 * widths (2, 4, 8 lanes), the four-row passes and the column strips ({@link Cholesky#STRIP}).
 */
class CholeskyTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 63, 64, 65, 100, 129, 200};

    @Test
    void wellConditionedMatrices() {
        for (int d : SIZES) {
            double[] lambda = new double[d];
            java.util.Random r = new java.util.Random(d);
            for (int k = 0; k < d; k++) lambda[k] = 1 + 3 * r.nextDouble();
            check(TestMatrices.symmetricWithSpectrum(lambda, 10 + d), d, 4.0, "spectrum in [1, 4], d=" + d);
        }
    }

    /** A graded spectrum 1 … 10⁻⁶ (κ = 10⁶) and a diagonal with entries over twelve orders of magnitude. */
    @Test
    void gradedMatrices() {
        for (int d : new int[] {9, 65, 150}) {
            double[] lambda = new double[d];
            for (int k = 0; k < d; k++) lambda[k] = Math.pow(10, -6.0 * k / (d - 1));
            check(TestMatrices.symmetricWithSpectrum(lambda, 60 + d), d, 1e6, "graded d=" + d);
            double[] diag = new double[d * d];
            for (int k = 0; k < d; k++) diag[k * d + k] = Math.pow(10, 6 - 12.0 * k / (d - 1));
            double[] x = Cholesky.inverseFactor(diag, d, 0, null);
            assertNotNull(x);
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double want = i == j ? 1 / Math.sqrt(diag[i * d + i]) : 0.0;
                    assertEquals(want, x[i * d + j], 2 * EPS * Math.abs(want), "diagonal d=" + d + " (" + i + "," + j + ")");
                }
            }
        }
    }

    @Test
    void notPositiveDefiniteGivesNull() {
        int d = 7;
        double[] indefinite = TestMatrices.symmetricWithSpectrum(new double[] {3, 2, 1, 1, 1, -0.5, 2}, 70);
        assertNull(Cholesky.inverseFactor(indefinite, d, 0, null), "indefinite");
        double[] zeroRow = TestMatrices.symmetricWithSpectrum(new double[] {3, 2, 1, 1, 1, 0.5, 2}, 71);
        for (int j = 0; j < d; j++) zeroRow[3 * d + j] = zeroRow[j * d + 3] = 0.0;
        assertNull(Cholesky.inverseFactor(zeroRow, d, 0, null), "a zero row and column");
        assertNull(Cholesky.inverseFactor(new double[] {1, 1, 1, 1}, 2, 0, null), "singular 2 × 2 (exact zero pivot)");
        assertNull(Cholesky.inverseFactor(new double[] {0}, 1, 0, null), "zero");
        double[] spd = TestMatrices.symmetricWithSpectrum(new double[] {3, 2, 1, 1, 1, 0.5, 2}, 72);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (int[] at : new int[][] {{0, 0}, {2, 5}, {6, 6}}) {
                double[] a = spd.clone();
                a[at[0] * d + at[1]] = bad;
                a[at[1] * d + at[0]] = bad;
                assertNull(Cholesky.inverseFactor(a, d, 0, null), bad + " at " + at[0] + "," + at[1]);
            }
        }
    }

    /** The column strips shared out between threads: the same bits for 1, 2 and 3 threads. */
    @Test
    void sameBitsForEveryThreadCount() {
        int d = 340; // d³/6 multiply-adds above BlockedGemm.PARALLEL_MIN_FMA, so the pools split the strips
        double[] lambda = new double[d];
        for (int k = 0; k < d; k++) lambda[k] = 1 + k % 17;
        double[] a = TestMatrices.symmetricWithSpectrum(lambda, 80);
        double[] one = Cholesky.inverseFactor(a, d, 0, null);
        for (int threads : new int[] {2, 3}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                assertArrayEquals(one, Cholesky.inverseFactor(a, d, 0, pool), threads + " threads");
            } finally {
                pool.shutdown();
            }
        }
    }

    /** X = U⁻¹ as the reference's, upper triangular with a positive diagonal, and XᵀAX = I, to 8dεκ. */
    private static void check(double[] a, int d, double kappa, String what) {
        double[] x = Cholesky.inverseFactor(a, d, 0, null);
        assertNotNull(x, what);
        RealMatrix u = new CholeskyDecomposition(new Array2DRowRealMatrix(TestMatrices.square(a, d, d)), 1e-15, 1e-300).getLT();
        RealMatrix ref = new LUDecomposition(u).getSolver().getInverse();
        double max = 0;
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) max = Math.max(max, Math.abs(ref.getEntry(i, j)));
        double tol = 8 * d * EPS * kappa;
        for (int i = 0; i < d; i++) {
            assertTrue(x[i * d + i] > 0, what + ": positive diagonal");
            for (int j = 0; j < d; j++) {
                if (j < i) assertEquals(0.0, x[i * d + j], what + ": zero below the diagonal");
                else assertEquals(ref.getEntry(i, j), x[i * d + j], tol * max, what + ": U⁻¹[" + i + "," + j + "]");
            }
        }
        double[] ax = new double[d * d];
        for (int i = 0; i < d; i++) for (int k = 0; k < d; k++) for (int j = 0; j < d; j++) ax[i * d + j] += a[i * d + k] * x[k * d + j];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += x[k * d + i] * ax[k * d + j];
                assertEquals(i == j ? 1.0 : 0.0, s, tol, what + ": (XᵀAX)[" + i + "," + j + "]");
            }
        }
    }
}
