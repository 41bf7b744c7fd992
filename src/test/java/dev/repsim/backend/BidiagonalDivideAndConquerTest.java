package dev.repsim.backend;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static dev.repsim.backend.TestMatrices.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BidiagonalDivideAndConquer} on bidiagonals that take each of its paths: plain merges, z entries that
 * deflate, singular values next to the pole at 0 (zero diagonal entries), close pairs across the halves
 * that deflate by a rotation of both sides (glued copies of one block), zero couplings at the cuts, graded
 * entries. Each against Commons Math's float64 singular values (within 1e-12‖B‖_F), with
 * ‖B − UΣVᵀ‖_F ≤ 4nε‖B‖_F and ‖UᵀU − I‖_F, ‖VᵀV − I‖_F ≤ 4nε, the SVD solver's bounds. The run that keeps two
 * rows of V gives the same U within those bounds and V's first and last rows; the one without U the same
 * values and V, bit for bit.
 */
class BidiagonalDivideAndConquerTest {
    private static final int ONE_MERGE = BidiagonalDivideAndConquer.LEAF + 1;

    @Test
    void randomBidiagonals() {
        for (int n : new int[] {ONE_MERGE, 64, 65, 66, 200, 513}) {
            double[][] t = TestMatrices.gaussianDiagonals(n, n);
            check(t[0], t[1], "random n=" + n);
        }
    }

    /**
     * The bidiagonal with 1 on both diagonals has the singular values 2cos(jπ/(2n+1)), j = 1 … n, all
     * distinct (it is the Cholesky factor of tridiag(1, 2, 1) less one corner).
     */
    @Test
    void closedFormSpectrum() {
        int n = 300;
        double[] d = new double[n], e = new double[n];
        Arrays.fill(d, 1.0);
        Arrays.fill(e, 1.0);
        double[] s = check(d, e, "bidiag(1, 1)");
        for (int j = 1; j <= n; j++) {
            assertEquals(2 * Math.cos(j * Math.PI / (2 * n + 1)), s[n - j], 8 * n * EPS, "singular value " + j);
        }
    }

    /** Zero diagonal entries give subproblems a zero singular value, which meets the merge's pole at 0. */
    @Test
    void zeroDiagonalEntries() {
        int n = 160;
        Random r = new Random(3);
        double[] d = new double[n], e = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 7 == 3 || i == n / 2 || i == n - 1 ? 0.0 : r.nextGaussian();
            e[i] = r.nextGaussian();
        }
        check(d, e, "zero diagonal entries");
        double[] zeros = new double[n];
        check(zeros, e, "zero diagonal");
        check(d, new double[n], "diagonal, unsorted, signed, with zeros");
        check(new double[n], new double[n], "zero");
        // α = 0 at the top cut alone: z₀ = 0 there, which the merge lifts to tol to keep the pole at 0.
        int m = 2 * BidiagonalDivideAndConquer.LEAF + 1;
        double[] dm = new double[m], em = new double[m];
        for (int i = 0; i < m; i++) {
            dm[i] = i == m / 2 ? 0.0 : 1.0 + r.nextDouble();
            em[i] = 1.0 + r.nextDouble();
        }
        check(dm, em, "zero diagonal entry at the top cut");
    }

    /** Twelve copies of one 21-row block (W⁺₂₁ + 0.5) glued by tiny couplings: equal singular values in both halves of each merge. */
    @Test
    void gluedBlocks() {
        for (double glue : new double[] {1e-10, 1e-14, 0.0}) {
            double[][] t = TestMatrices.gluedWilkinson(12, glue, 0.5);
            check(t[0], t[1], "glued blocks, glue " + glue);
        }
        int n = 150;
        double[] ones = new double[n], tiny = new double[n];
        Arrays.fill(ones, 1.0);
        Arrays.fill(tiny, 1e-300);
        check(ones, tiny, "equal diagonal, couplings near underflow");
    }

    @Test
    void gradedEntries() {
        int n = 120;
        double[][] t = TestMatrices.gradedDiagonals(n);
        double[] d = t[0], e = t[1];
        check(d, e, "graded");
        for (int i = 0; i < n; i++) {
            d[i] = Math.pow(10, -(n - 1 - i) / 10.0);
            e[i] = 0.5 * d[i];
        }
        check(d, e, "graded upwards");
    }

    /** Roots and products are split between threads; every thread count gives the same bits. */
    @Test
    void sameBitsAtEveryThreadCount() {
        double[][] t = TestMatrices.gaussianDiagonals(400, 9);
        double[] d = t[0], e = t[1];
        for (boolean fullV : new boolean[] {true, false}) {
            BidiagonalDivideAndConquer.Svd one = BidiagonalDivideAndConquer.solve(d, e, true, fullV, null);
            ForkJoinPool pool = new ForkJoinPool(3);
            try {
                BidiagonalDivideAndConquer.Svd many = BidiagonalDivideAndConquer.solve(d, e, true, fullV, pool);
                assertArrayEquals(one.s(), many.s(), "values");
                assertArrayEquals(one.u(), many.u(), "U");
                assertArrayEquals(one.v(), many.v(), "V");
            } finally {
                pool.shutdown();
            }
        }
    }

    /** Checks the SVD of the bidiagonal (d, e), both ways, and returns its singular values ascending. */
    private static double[] check(double[] d, double[] e, String what) {
        int n = d.length;
        double[] dIn = d.clone(), eIn = e.clone();
        BidiagonalDivideAndConquer.Svd svd = BidiagonalDivideAndConquer.solve(d, e, true, true, null);
        BidiagonalDivideAndConquer.Svd two = BidiagonalDivideAndConquer.solve(d, e, true, false, null);
        BidiagonalDivideAndConquer.Svd noU = BidiagonalDivideAndConquer.solve(d, e, false, true, null);
        assertEquals(null, noU.u(), what + ": no U unless wanted");
        assertArrayEquals(svd.s(), noU.s(), what + ": the same values without U");
        assertArrayEquals(svd.v(), noU.v(), what + ": the same V without U (no merge reads U)");
        assertArrayEquals(dIn, d, what + ": diagonal unchanged");
        assertArrayEquals(eIn, e, what + ": couplings unchanged");
        double[] b = new double[n * n];
        for (int i = 0; i < n; i++) {
            b[i * n + i] = d[i];
            if (i + 1 < n) b[i * n + i + 1] = e[i];
        }
        double norm = TestMatrices.frobenius(b), bound = 4.0 * n * EPS;
        double[] ref = new SingularValueDecomposition(new Array2DRowRealMatrix(TestMatrices.square(b, n, n))).getSingularValues();
        double[] s = svd.s(), u = svd.u(), v = svd.v();
        assertEquals(n, svd.vRows(), what + ": rows of V");
        assertEquals(2, two.vRows(), what + ": rows of V kept");
        for (int k = 0; k < n; k++) {
            assertTrue(s[k] >= 0 && (k == 0 || s[k - 1] <= s[k]), what + ": ascending, non-negative at " + k);
            assertEquals(ref[n - 1 - k], s[k], 1e-12 * norm, what + ": singular value " + k);
            assertEquals(ref[n - 1 - k], two.s()[k], 1e-12 * norm, what + ": singular value " + k + ", two rows of V");
        }
        double residual = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = -b[i * n + j];
                for (int k = 0; k < n; k++) x += u[i * n + k] * s[k] * v[j * n + k];
                residual += x * x;
            }
        }
        assertTrue(Math.sqrt(residual) <= bound * norm, what + ": ‖B − UΣVᵀ‖ = " + Math.sqrt(residual) + " > " + bound * norm);
        double ou = TestMatrices.columnOrthogonality(u, n, n), ov = TestMatrices.columnOrthogonality(v, n, n);
        assertTrue(ou <= bound, what + ": ‖UᵀU − I‖ = " + ou);
        assertTrue(ov <= bound, what + ": ‖VᵀV − I‖ = " + ov);
        // With two rows of V kept: U orthonormal with ‖Bᵀu_k‖ = σ_k, and V's kept rows those of a V that
        // completes U to an SVD of B (Bᵀu_k = σ_k v_k, so v_k's first and last entries follow from u_k).
        double[] u2 = two.u(), v2 = two.v();
        double ou2 = TestMatrices.columnOrthogonality(u2, n, n);
        assertTrue(ou2 <= bound, what + ": two rows of V: ‖UᵀU − I‖ = " + ou2);
        for (int k = 0; k < n; k++) {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                double x = (j > 0 ? e[j - 1] * u2[(j - 1) * n + k] : 0.0) + d[j] * u2[j * n + k];
                sum += x * x;
                if (j == 0) assertEquals(x, two.s()[k] * v2[k], bound * norm, what + ": (Bᵀu_" + k + ")₀ = σ v₀");
                if (j == n - 1) assertEquals(x, two.s()[k] * v2[n + k], bound * norm, what + ": (Bᵀu_" + k + ")_last = σ v_last");
            }
            assertEquals(two.s()[k], Math.sqrt(sum), bound * norm, what + ": two rows of V: ‖Bᵀu_" + k + "‖");
        }
        return s;
    }
}
