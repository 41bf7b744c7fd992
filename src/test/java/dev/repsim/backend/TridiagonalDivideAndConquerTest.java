package dev.repsim.backend;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import static dev.repsim.backend.TestMatrices.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TridiagonalDivideAndConquer} on tridiagonals that take each of its paths: plain merges, z entries
 * that deflate, close eigenvalue pairs that deflate by a rotation mixing the two halves (glued Wilkinson
 * matrices), a zero coupling at the cut, graded entries. Each result against Commons Math's float64
 * eigenvalues (within 1e-12‖T‖_F) or a closed form, with ‖TZ − ZΛ‖_F ≤ 4nε‖T‖_F and ‖ZᵀZ − I‖_F ≤ 4nε, the
 * bounds the dense eigensolver's tests use.
 */
class TridiagonalDivideAndConquerTest {
    private static final int ONE_MERGE = TridiagonalDivideAndConquer.LEAF + 1;

    @Test
    void randomTridiagonals() {
        for (int n : new int[] {ONE_MERGE, 64, 65, 200, 513}) {
            double[][] t = TestMatrices.gaussianDiagonals(n, n);
            check(t[0], t[1], "random n=" + n);
        }
    }

    /** tridiag(1, 0, 1) has the eigenvalues 2cos(jπ/(n+1)), all distinct. */
    @Test
    void closedFormSpectrum() {
        int n = 300;
        double[] d = new double[n], e = new double[n];
        Arrays.fill(e, 1.0);
        double[] w = check(d, e, "tridiag(1, 0, 1)");
        for (int j = 1; j <= n; j++) {
            assertEquals(2 * Math.cos((n + 1 - j) * Math.PI / (n + 1)), w[j - 1], 8 * n * EPS, "eigenvalue " + j);
        }
    }

    /**
     * Wilkinson's W⁺₂₁ (diagonal |10 − i|, couplings 1) has pairs of eigenvalues that agree to 15 digits;
     * glued end to end by couplings of 1e-10 they make clusters across the halves, which deflate by rotation.
     */
    @Test
    void gluedWilkinsonMatrices() {
        for (double glue : new double[] {1e-10, 1e-14, 0.0}) {
            double[][] t = TestMatrices.gluedWilkinson(12, glue, 0.0);
            check(t[0], t[1], "glued Wilkinson, glue " + glue);
        }
        int n = 201;
        double[] d = new double[n], e = new double[n];
        Arrays.fill(e, 1.0);
        for (int i = 0; i < n; i++) d[i] = Math.abs((n - 1) / 2 - i);
        check(d, e, "W+_201");
    }

    @Test
    void zeroCouplingsAndRepeatedDiagonal() {
        int n = 150;
        double[] d = new double[n], e = new double[n];
        for (int i = 0; i < n; i++) d[i] = (i * 7919 % 13) - 6.0; // unsorted, repeated, negative
        check(d, e.clone(), "diagonal");
        Random r = new Random(5);
        for (int i = 0; i < n; i++) e[i] = i % 40 == 39 ? 0.0 : r.nextGaussian(); // zero at several cuts
        check(d, e, "zero couplings at cuts");
        double[] constant = new double[n];
        Arrays.fill(constant, 2.5);
        double[] tiny = new double[n];
        Arrays.fill(tiny, 1e-300);
        check(constant, tiny, "equal diagonal, couplings near underflow");
    }

    @Test
    void gradedEntries() {
        double[][] t = TestMatrices.gradedDiagonals(120);
        check(t[0], t[1], "graded");
    }

    /** Roots and products are split between threads; every thread count gives the same bits. */
    @Test
    void sameBitsAtEveryThreadCount() {
        double[][] t = TestMatrices.gaussianDiagonals(400, 9);
        double[] d = t[0], e = t[1];
        double[] d1 = d.clone();
        double[] z1 = TridiagonalDivideAndConquer.solve(d1, e, null);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            for (int rep = 0; rep < 2; rep++) {
                double[] d3 = d.clone();
                double[] z3 = TridiagonalDivideAndConquer.solve(d3, e, pool);
                assertArrayEquals(d1, d3, "eigenvalues");
                assertArrayEquals(z1, z3, "eigenvectors");
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Checks the decomposition of the tridiagonal (d, e) and returns its eigenvalues. */
    private static double[] check(double[] d, double[] e, String what) {
        int n = d.length;
        double[] eIn = e.clone(), w = d.clone();
        double[] z = TridiagonalDivideAndConquer.solve(w, e, null);
        assertArrayEquals(eIn, e, what + ": couplings unchanged");
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + i] = d[i];
            if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = e[i];
        }
        double norm = TestMatrices.frobenius(t);
        double[] ref = new EigenDecomposition(new Array2DRowRealMatrix(TestMatrices.square(t, n, n))).getRealEigenvalues();
        Arrays.sort(ref);
        for (int k = 0; k < n; k++) {
            assertTrue(k == 0 || w[k - 1] <= w[k], what + ": ascending at " + k);
            assertEquals(ref[k], w[k], 1e-12 * norm, what + ": eigenvalue " + k);
        }
        double residual = 0;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                double x = (d[i] - w[k]) * z[i * n + k];
                if (i > 0) x += e[i - 1] * z[(i - 1) * n + k];
                if (i + 1 < n) x += e[i] * z[(i + 1) * n + k];
                residual += x * x;
            }
        }
        double bound = 4.0 * n * EPS;
        assertTrue(Math.sqrt(residual) <= bound * norm, what + ": ‖TZ − ZΛ‖ = " + Math.sqrt(residual) + " > " + bound * norm);
        double orth = TestMatrices.columnOrthogonality(z, n, n);
        assertTrue(orth <= bound, what + ": ‖ZᵀZ − I‖ = " + orth + " > " + bound);
        return w;
    }
}
