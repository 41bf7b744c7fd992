package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;

import java.util.concurrent.ForkJoinPool;

/**
 * Symmetric eigendecomposition A = V Λ Vᵀ in pure Java, in three steps:
 * <ol>
 * <li>Householder tridiagonalisation Qᵀ A Q = T (Golub &amp; Van Loan, Matrix Computations, 4th ed.,
 *     §8.3.1): while the trailing matrix is large, in panels whose trailing update is one level-3
 *     product ({@link TridiagonalPanels}); the last steps unblocked, one fused pass over the trailing
 *     block per column: the pass applies the previous step's rank-2 update A −= v wᵀ + w vᵀ to each row
 *     and, with the row still in registers, adds it into A v for the current step (the rows are
 *     symmetric, so A v is a sum of rows: no reduction across lanes). Q is then formed by backward
 *     accumulation, in blocks of reflectors ({@link BlockReflectors}).</li>
 * <li>T = Z Λ Zᵀ by divide and conquer ({@link TridiagonalDivideAndConquer}), whose small subproblems take
 *     {@link #ql implicit QL}.</li>
 * <li>The eigenvectors Q Z, one blocked product.</li>
 * </ol>
 * The input is first scaled by a power of two (exact) so that its largest entry is near 1. Every step is
 * backward stable: eigenvalues to within O(ε‖A‖), eigenvectors orthonormal to O(dε). The summation orders
 * are fixed, so results are the same bits at every vector width and thread count.
 */
final class SymmetricEigensolver {
    /** QL iterations allowed per eigenvalue before giving up (tql2 needs about 1.5 on average). */
    private static final int MAX_ITERATIONS = 60;

    private SymmetricEigensolver() {}

    /** Eigenvalues ascending with the eigenvectors as the columns of a row-major d × d matrix. */
    static Decompositions.Eigen decompose(double[] matrix, int d, ForkJoinPool pool) {
        if (matrix.length != (long) d * d) throw new IllegalArgumentException("expected " + d + "x" + d + " values, got " + matrix.length);
        if (d == 0) return new Decompositions.Eigen(new double[0], new double[0], 0);
        double scale = Householder.scaleFor(matrix, "symmetric eigendecomposition");
        double[] a = new double[d * d];
        for (int i = 0; i < a.length; i++) a[i] = matrix[i] * scale;
        double[] diag = new double[d], off = new double[d], tau = new double[d];
        tridiagonalise(a, d, diag, off, tau, pool);
        double[] q = BlockReflectors.accumulate(a, d, tau, Math.max(0, d - 2), 1, d, d, pool);
        double[] z = TridiagonalDivideAndConquer.solve(diag, off, pool);
        double[] vectors = BlockedGemm.product(q, z, d, d, d, pool);
        double[] values = new double[d];
        for (int k = 0; k < d; k++) values[k] = diag[k] / scale;
        return new Decompositions.Eigen(values, vectors, d);
    }

    /**
     * Reduces the symmetric {@code a} (row-major, both triangles) to tridiagonal form: diag and off
     * (off[k] couples k and k+1) receive T, row k of {@code a} the reflector vector of step k at columns
     * k+1 …, tau its τ. Panels of steps ({@link TridiagonalPanels}) while the trailing matrix is large,
     * then unblocked steps.
     */
    static void tridiagonalise(double[] a, int d, double[] diag, double[] off, double[] tau, ForkJoinPool pool) {
        int first = TridiagonalPanels.reduce(a, d, diag, off, tau, pool);
        double[] vPrev = new double[d], wPrev = new double[d], v = new double[d], w = new double[d];
        boolean pending = false; // whether (vPrev, wPrev) still has to be applied to rows k …
        for (int k = first; k + 2 < d; k++) {
            int row = k * d;
            if (pending) RowKernels.rank2(a, row + k, vPrev, wPrev, k, d - k, vPrev[k], wPrev[k]);
            diag[k] = a[row + k];
            int o = k + 1, n = d - o;
            off[k] = Householder.reflect(a, row + o, n, tau, k);
            double t = tau[k];
            System.arraycopy(a, row + o, v, o, n);
            java.util.Arrays.fill(w, o, d, 0.0);
            for (int i = o; i < d; i++) {
                double vi = t == 0.0 ? 0.0 : v[i];
                if (pending) RowKernels.rank2Accumulate(a, i * d + o, vPrev, wPrev, o, n, vPrev[i], wPrev[i], vi, w);
                else if (t != 0.0) RowKernels.axpy(vi, a, i * d + o, w, o, n);
            }
            pending = t != 0.0;
            if (pending) {
                // y = τ A v (in w); w = y − ½ τ (yᵀv) v, so that H A H = A − v wᵀ − w vᵀ.
                for (int j = o; j < d; j++) w[j] *= t;
                double alpha = -0.5 * t * FixedOrderSums.dot(w, o, v, o, n);
                for (int j = o; j < d; j++) w[j] = Math.fma(alpha, v[j], w[j]);
                double[] x = vPrev;
                vPrev = v;
                v = x;
                x = wPrev;
                wPrev = w;
                w = x;
            }
        }
        if (d == 1) {
            diag[0] = a[0];
            return;
        }
        int k = d - 2;
        if (pending) {
            RowKernels.rank2(a, k * d + k, vPrev, wPrev, k, 2, vPrev[k], wPrev[k]);
            RowKernels.rank2(a, (k + 1) * d + k, vPrev, wPrev, k, 2, vPrev[k + 1], wPrev[k + 1]);
        }
        diag[k] = a[k * d + k];
        off[k] = a[k * d + k + 1];
        diag[k + 1] = a[(k + 1) * d + k + 1];
        tau[k] = 0.0;
    }

    /**
     * Implicit QL on the tridiagonal (diag, off; off[d−1] is ignored): diag becomes the eigenvalues
     * (unsorted) and each rotation of the rows (i, i+1) of Zᵀ is handed to {@code rotations}.
     */
    static void ql(double[] diag, double[] off, PlaneRotations rotations) {
        int n = diag.length;
        double[] e = off;
        if (n > 0) e[n - 1] = 0.0;
        final double eps = Math.ulp(1.0);
        double shiftSum = 0.0, tst = 0.0;
        for (int l = 0; l < n; l++) {
            tst = Math.max(tst, Math.abs(diag[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n - 1 && Math.abs(e[m]) > eps * tst) m++;
            int iterations = 0;
            while (m > l) {
                if (++iterations > MAX_ITERATIONS) {
                    throw new ArithmeticException("symmetric eigendecomposition did not converge (order " + n + ")");
                }
                // Wilkinson-type shift from the leading 2×2 of the unreduced block.
                double g = diag[l];
                double p = (diag[l + 1] - g) / (2.0 * e[l]);
                double r = Householder.hypot(p, 1.0);
                if (p < 0) r = -r;
                diag[l] = e[l] / (p + r);
                diag[l + 1] = e[l] * (p + r);
                double dl1 = diag[l + 1];
                double h = g - diag[l];
                for (int i = l + 2; i < n; i++) diag[i] -= h;
                shiftSum += h;
                // Chase the bulge from m up to l.
                p = diag[m];
                double c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2 = 0.0;
                double el1 = e[l + 1];
                for (int i = m - 1; i >= l; i--) {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = Householder.hypot(p, e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * diag[i] - s * g;
                    diag[i + 1] = h + s * (c * g + s * diag[i]);
                    rotations.add(i, i + 1, c, s);
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                diag[l] = c * p;
                m = l;
                while (m < n - 1 && Math.abs(e[m]) > eps * tst) m++;
            }
            diag[l] += shiftSum;
            e[l] = 0.0;
        }
    }
}
