package dev.repsim.backend;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;

import static dev.repsim.backend.TestMatrices.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SvdSolver} against Commons Math's float64 SVD: values within 1e-12‖A‖_2, descending and
 * non-negative; ‖A − UΣVᵀ‖_F ≤ 4 max(m, n) ε‖A‖_F; ‖UᵀU − I‖_F, ‖VᵀV − I‖_F ≤ 4 max(m, n) ε. The values-only
 * path (implicit QR) and the vectors (divide and conquer) are checked each against the reference; U
 * alone ({@code decomposeLeft}, which keeps two rows of each subproblem's V) is orthonormal with
 * |‖Aᵀu_t‖ − σ_t| within the residual bound, which makes u_t the t-th left singular vector when σ_t is
 * simple.
 */
class SvdSolverTest {
    @Test
    void randomShapes() {
        int[][] shapes = {{1, 1}, {1, 5}, {5, 1}, {2, 2}, {3, 3}, {3, 2}, {2, 3}, {8, 8}, {9, 9}, {17, 16},
            {16, 17}, {63, 63}, {64, 64}, {65, 65}, {100, 37}, {37, 100}, {129, 129},
            {300, 170}, {170, 300}}; // the last two form U and V in blocks of reflectors, on a tall block
        for (int[] s : shapes) check(TestMatrices.gaussian(s[0], s[1], 100 + 7L * s[0] + s[1]), s[0], s[1], "random " + s[0] + "x" + s[1]);
    }

    @Test
    void rankDeficientRepeatedAndGraded() {
        for (int[] s : new int[][] {{30, 30}, {50, 20}, {20, 50}}) {
            int m = s[0], n = s[1], k = Math.min(m, n);
            double[] values = new double[k];
            for (int t = 0; t < k / 2; t++) values[t] = 1.0 + t; // rank k/2
            check(TestMatrices.withSpectrum(m, n, values, 200 + m), m, n, "rank-deficient " + m + "x" + n);
            java.util.Arrays.fill(values, 2.0);
            check(TestMatrices.withSpectrum(m, n, values, 210 + m), m, n, "repeated " + m + "x" + n);
            for (int t = 0; t < k; t++) values[t] = Math.pow(10, -t / 3.0);
            check(TestMatrices.withSpectrum(m, n, values, 220 + m), m, n, "graded " + m + "x" + n);
        }
        check(new double[12 * 7], 12, 7, "zero");
    }

    /**
     * Shapes at which the blocked bidiagonalisation ({@link BidiagonalPanels}) takes no panel (one column
     * short), exactly one, one with a wider tail, several with a partial tail (tall, square, and wide, which
     * is reduced transposed), and a rank-deficient, graded spectrum through several panels.
     */
    @Test
    void blockedReduction() {
        int first = BidiagonalPanels.NB + BidiagonalPanels.MIN_TRAILING, several = first + 3 * BidiagonalPanels.NB + 5;
        int[][] shapes = {{first + 20, first - 1}, {first + 20, first}, {first, first + 1}, {several + 40, several},
            {several, several}, {first + 1, several}};
        for (int[] s : shapes) check(TestMatrices.gaussian(s[0], s[1], 600 + s[0] + 3L * s[1]), s[0], s[1], "random " + s[0] + "x" + s[1]);
        int m = several + 7, n = several, k = n;
        double[] values = new double[k];
        for (int t = 0; t < k; t++) values[t] = t % 5 == 4 ? 0.0 : Math.pow(10, -t / 40.0);
        check(TestMatrices.withSpectrum(m, n, values, 650), m, n, "rank-deficient, graded " + m + "x" + n);
    }

    /** Already bidiagonal inputs with zeros on the diagonal take the deflation paths that chase a row or column out. */
    @Test
    void zeroDiagonalDeflation() {
        int n = 12;
        for (int z : new int[] {0, 5, n - 1}) {
            double[] b = new double[n * n];
            for (int i = 0; i < n; i++) {
                b[i * n + i] = i == z ? 0.0 : 1.0 + 0.1 * i;
                if (i + 1 < n) b[i * n + i + 1] = 0.5 + 0.05 * i;
            }
            check(b, n, n, "bidiagonal with d[" + z + "] = 0");
        }
        double[] a = TestMatrices.gaussian(10, 10, 300);
        for (int i = 0; i < 10; i++) a[i * 10] = 0.0; // a zero column
        check(a, 10, 10, "zero first column");
    }

    /**
     * Same bits for every thread count (the panels' trailing updates and the products with the reflectors
     * are split between threads), values alone, with both vectors and with U alone, tall and wide.
     */
    @Test
    void deterministicAcrossThreadCounts() {
        for (int[] shape : new int[][] {{420, 400}, {330, 410}}) {
            int m = shape[0], n = shape[1];
            double[] a = TestMatrices.gaussian(m, n, 400 + m);
            Decompositions.Svd one = SvdSolver.decompose(a, m, n, null);
            ForkJoinPool pool = new ForkJoinPool(3);
            try {
                Decompositions.Svd many = SvdSolver.decompose(a, m, n, pool);
                assertArrayEquals(one.s(), many.s(), "values");
                assertArrayEquals(SvdSolver.values(a, m, n, null), SvdSolver.values(a, m, n, pool), "values-only path");
                assertArrayEquals(one.u(), many.u(), "U");
                assertArrayEquals(one.vt(), many.vt(), "Vt");
                // (U alone may differ from the full SVD's U in signs, which move into V when V is formed.)
                assertArrayEquals(SvdSolver.decomposeLeft(a, m, n, null).u(), SvdSolver.decomposeLeft(a, m, n, pool).u(), "U alone");
            } finally {
                pool.shutdown();
            }
            check(a, m, n, "random " + m + "x" + n);
        }
    }

    @Test
    void rejectsNonFiniteInput() {
        double[] a = TestMatrices.gaussian(3, 4, 500);
        a[7] = Double.NaN;
        assertThrows(ArithmeticException.class, () -> SvdSolver.values(a, 3, 4, null));
        assertThrows(ArithmeticException.class, () -> SvdSolver.decompose(a, 3, 4, null));
    }

    private static void check(double[] a, int m, int n, String what) {
        double[] input = a.clone();
        int k = Math.min(m, n);
        Decompositions.Svd svd = SvdSolver.decompose(a, m, n, null);
        double[] values = SvdSolver.values(a, m, n, null);
        assertArrayEquals(input, a, what + ": input unchanged");
        double[] s = svd.s(), u = svd.u(), vt = svd.vt();
        assertEquals(k, s.length, what + ": count");
        assertEquals(k, values.length, what + ": count, values-only path");
        double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(TestMatrices.square(a, m, n))).getSingularValues();
        for (int t = 0; t < k; t++) {
            assertTrue(s[t] >= 0 && (t == 0 || s[t - 1] >= s[t]), what + ": descending, non-negative");
            assertTrue(values[t] >= 0 && (t == 0 || values[t - 1] >= values[t]), what + ": values-only path descending, non-negative");
            assertEquals(ref[t], s[t], 1e-12 * ref[0], what + ": singular value " + t);
            assertEquals(ref[t], values[t], 1e-12 * ref[0], what + ": values-only path, singular value " + t);
        }
        double residual = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = -a[i * n + j];
                for (int t = 0; t < k; t++) x += u[i * k + t] * s[t] * vt[t * n + j];
                residual += x * x;
            }
        }
        double bound = 4.0 * Math.max(Math.max(m, n), 4) * EPS;
        double norm = TestMatrices.frobenius(a);
        assertTrue(Math.sqrt(residual) <= bound * norm, what + ": ‖A − UΣVᵀ‖ = " + Math.sqrt(residual) + " > " + bound * norm);
        double ou = TestMatrices.columnOrthogonality(u, m, k), ov = TestMatrices.rowOrthogonality(vt, k, n);
        assertTrue(ou <= bound, what + ": ‖UᵀU − I‖ = " + ou);
        assertTrue(ov <= bound, what + ": ‖VᵀV − I‖ = " + ov);
        Decompositions.Svd left = SvdSolver.decomposeLeft(a, m, n, null);
        assertArrayEquals(input, a, what + ": input unchanged by decomposeLeft");
        assertEquals(null, left.vt(), what + ": no V from decomposeLeft");
        double[] ul = left.u();
        double oul = TestMatrices.columnOrthogonality(ul, m, k);
        assertTrue(oul <= bound, what + ": U alone, ‖UᵀU − I‖ = " + oul);
        for (int t = 0; t < k; t++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int i = 0; i < m; i++) x += a[i * n + j] * ul[i * k + t];
                sum += x * x;
            }
            assertEquals(s[t], Math.sqrt(sum), bound * norm, what + ": U alone, ‖Aᵀu_" + t + "‖");
        }
    }
}
