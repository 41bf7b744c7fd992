package dev.repsim.backend;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

import static dev.repsim.backend.TestMatrices.EPS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SymmetricEigensolver} against Commons Math's float64 eigensolver on random and structured
 * matrices: residual ‖AV − VΛ‖_F ≤ 4dε‖A‖_F, ‖VᵀV − I‖_F ≤ 4dε, eigenvalues within 1e-12‖A‖_F,
 * ascending. Sizes straddle the vector widths (2, 4, 8 lanes) and the rotation strips (64 columns).
 */
class SymmetricEigensolverTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 63, 64, 65, 100, 129};

    @Test
    void randomMatrices() {
        for (int d : SIZES) check(TestMatrices.randomSymmetric(d, 10 + d), d, "random d=" + d);
    }

    /**
     * Orders at which the blocked reduction ({@link TridiagonalPanels}) takes one panel (the smallest, one
     * above it), several panels with a partial vector tail, and a clustered spectrum through several panels.
     */
    @Test
    void blockedReduction() {
        int first = TridiagonalPanels.NB + TridiagonalPanels.MIN_TRAILING;
        for (int d : new int[] {first - 1, first, first + 1, first + 3 * TridiagonalPanels.NB + 5}) {
            check(TestMatrices.randomSymmetric(d, 90 + d), d, "random d=" + d);
        }
        int d = first + 2 * TridiagonalPanels.NB + 3;
        double[] lambda = new double[d];
        for (int k = 0; k < d; k++) lambda[k] = k % 4 == 0 ? 2.0 : k % 4 == 1 ? -1.0 : Math.pow(10, -k / 20.0);
        check(TestMatrices.symmetricWithSpectrum(lambda, 95), d, "clustered and graded d=" + d);
    }

    @Test
    void repeatedAndClusteredEigenvalues() {
        for (int d : new int[] {6, 40, 97}) {
            double[] lambda = new double[d];
            for (int k = 0; k < d; k++) lambda[k] = k % 3 == 0 ? 1.0 : k % 3 == 1 ? -2.0 : 1.0 + 1e-13 * k;
            check(TestMatrices.symmetricWithSpectrum(lambda, 20 + d), d, "clustered d=" + d);
            Arrays.fill(lambda, 3.5);
            check(TestMatrices.symmetricWithSpectrum(lambda, 30 + d), d, "all equal d=" + d);
        }
    }

    @Test
    void rankDeficientCovariance() {
        for (int d : new int[] {10, 70}) {
            int r = d / 3, n = 2 * d;
            double[] x = TestMatrices.gaussian(n, r, 40 + d), mix = TestMatrices.gaussian(r, d, 50 + d), a = new double[d * d];
            double[] z = new double[n * d]; // n × d data of rank r
            for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) for (int t = 0; t < r; t++) z[i * d + j] += x[i * r + t] * mix[t * d + j];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int s = 0; s < n; s++) a[i * d + j] += z[s * d + i] * z[s * d + j];
            check(a, d, "rank " + r + " of d=" + d);
        }
    }

    @Test
    void gradedDiagonalTridiagonalAndSpecial() {
        int d = 50;
        double[] lambda = new double[d];
        for (int k = 0; k < d; k++) lambda[k] = Math.pow(10, -k / 4.0) * (k % 2 == 0 ? 1 : -1);
        check(TestMatrices.symmetricWithSpectrum(lambda, 60), d, "graded spectrum");
        double[] graded = TestMatrices.randomSymmetric(d, 61);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) graded[i * d + j] *= Math.pow(10, -(i + j) / 8.0);
        check(graded, d, "graded entries");
        double[] diagonal = new double[d * d];
        for (int i = 0; i < d; i++) diagonal[i * d + i] = (i * 7919 % 13) - 6.0; // unsorted, repeated, negative
        check(diagonal, d, "diagonal");
        double[] tri = new double[d * d];
        for (int i = 0; i < d; i++) {
            tri[i * d + i] = Math.abs(i - d / 2.0); // Wilkinson-like: pairs of close eigenvalues
            if (i + 1 < d) tri[i * d + i + 1] = tri[(i + 1) * d + i] = 1.0;
        }
        check(tri, d, "tridiagonal");
        check(new double[d * d], d, "zero");
        double[] identity = new double[d * d];
        for (int i = 0; i < d; i++) identity[i * d + i] = 1;
        check(identity, d, "identity");
    }

    /** Scaling by a power of two is exact, so it scales the eigenvalues exactly and leaves the vectors alone. */
    @Test
    void extremeScales() {
        int d = 20;
        double[] a = TestMatrices.randomSymmetric(d, 62);
        Decompositions.Eigen plain = SymmetricEigensolver.decompose(a, d, null);
        for (int p : new int[] {600, -600}) {
            double[] scaled = a.clone();
            for (int i = 0; i < scaled.length; i++) scaled[i] = Math.scalb(scaled[i], p);
            Decompositions.Eigen e = SymmetricEigensolver.decompose(scaled, d, null);
            for (int k = 0; k < d; k++) assertEquals(Math.scalb(plain.values()[k], p), e.values()[k], 0.0, "eigenvalue " + k + " at 2^" + p);
            assertArrayEquals(plain.vectors(), e.vectors(), "eigenvectors at 2^" + p);
        }
    }

    /** Same bits on every call and for every thread count (the rotation strips are split between threads). */
    @Test
    void deterministicAcrossThreadCounts() {
        int d = 300;
        double[] a = TestMatrices.randomSymmetric(d, 70);
        Decompositions.Eigen one = SymmetricEigensolver.decompose(a, d, null);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            for (int rep = 0; rep < 2; rep++) {
                Decompositions.Eigen many = SymmetricEigensolver.decompose(a, d, pool);
                assertArrayEquals(one.values(), many.values(), "eigenvalues");
                assertArrayEquals(one.vectors(), many.vectors(), "eigenvectors");
            }
        } finally {
            pool.shutdown();
        }
        check(a, d, "random d=300");
    }

    @Test
    void rejectsNonFiniteInput() {
        double[] a = TestMatrices.randomSymmetric(4, 80);
        a[5] = Double.NaN;
        assertThrows(ArithmeticException.class, () -> SymmetricEigensolver.decompose(a, 4, null));
        a[5] = Double.POSITIVE_INFINITY;
        assertThrows(ArithmeticException.class, () -> SymmetricEigensolver.decompose(a, 4, null));
    }

    private static void check(double[] a, int d, String what) {
        double[] input = a.clone();
        Decompositions.Eigen e = SymmetricEigensolver.decompose(a, d, null);
        assertArrayEquals(input, a, what + ": input unchanged");
        double[] w = e.values(), v = e.vectors();
        double norm = TestMatrices.frobenius(a);
        double[] ref = new EigenDecomposition(new Array2DRowRealMatrix(TestMatrices.square(a, d, d))).getRealEigenvalues();
        Arrays.sort(ref);
        for (int k = 0; k < d; k++) {
            assertTrue(k == 0 || w[k - 1] <= w[k], what + ": ascending");
            assertEquals(ref[k], w[k], 1e-12 * norm, what + ": eigenvalue " + k);
        }
        double residual = 0;
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double x = -w[k] * v[i * d + k];
                for (int j = 0; j < d; j++) x += a[i * d + j] * v[j * d + k];
                residual += x * x;
            }
        }
        double bound = 4.0 * Math.max(d, 4) * EPS;
        assertTrue(Math.sqrt(residual) <= bound * norm, what + ": ‖AV − VΛ‖ = " + Math.sqrt(residual) + " > " + bound + "·‖A‖ = " + bound * norm);
        double orth = TestMatrices.columnOrthogonality(v, d, d);
        assertTrue(orth <= bound, what + ": ‖VᵀV − I‖ = " + orth + " > " + bound);
    }
}
