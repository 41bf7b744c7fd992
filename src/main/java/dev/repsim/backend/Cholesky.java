package dev.repsim.backend;

import java.util.concurrent.ForkJoinPool;

/**
 * The inverse U⁻¹ of the Cholesky factor of a symmetric positive definite A = UᵀU, in pure Java: the
 * whitening W = U⁻¹ (WᵀAW = I) of a covariance in d³/3 multiply-adds, against about 9d³ for an
 * eigendecomposition with vectors.
 * <ol>
 * <li>U by rows, left-looking (Golub &amp; Van Loan, Matrix Computations, 4th ed., §4.2.5, the gaxpy form
 *     transposed): row i of U is (A[i, i:] − Σ_{k&lt;i} U[k, i]·U[k, i:]) / √pivot, a sum of earlier rows;</li>
 * <li>X = U⁻¹ by rows from the bottom (back substitution on the columns of I, §3.1.2):
 *     X[i, i] = 1/U[i, i], X[i, i+1:] = −(Σ_{k&gt;i} U[i, k]·X[k, i+1:]) / U[i, i]. Column j of X depends on
 *     column j alone, so the columns are computed in fixed strips of {@link #STRIP}, shared out between
 *     threads as contiguous runs.</li>
 * </ol>
 * Both steps are sums of rows ({@link RowKernels#rowsTimes}), each element a fused multiply-add chain in
 * increasing k, with no reduction across lanes: the same bits at every vector width and thread count.
 */
final class Cholesky {
    /** Columns of X per strip: a strip of a 768-row X (384 KiB) stays in a 512 KiB L2. */
    static final int STRIP = 64;

    private Cholesky() {}

    /**
     * U⁻¹ (d × d, row-major, zero below the diagonal) for A = UᵀU, reading A's upper triangle; null at the
     * first pivot u_ii² that is not a finite number above {@code minPivot} (0: A singular, indefinite, or
     * holding NaN or an infinity; above 0, also λ_min(A) ≤ minPivot, as every pivot is at least λ_min(A)).
     */
    static double[] inverseFactor(double[] a, int d, double minPivot, ForkJoinPool pool) {
        if (a.length != (long) d * d) throw new IllegalArgumentException("expected " + d + "x" + d + " values, got " + a.length);
        checkMinPivot(minPivot);
        double[] u = factor(a, d, minPivot);
        return u == null ? null : invertUpper(u, d, pool);
    }

    /** Refuses a pivot floor that is negative or not a number (a floor of +∞ refuses every factor). */
    static void checkMinPivot(double minPivot) {
        if (!(minPivot >= 0)) throw new IllegalArgumentException("minPivot must be at least 0, got " + minPivot);
    }

    /** U with A = UᵀU (zero below the diagonal), or null at the first pivot that is not finite and above minPivot. */
    static double[] factor(double[] a, int d, double minPivot) {
        double[] u = new double[d * d];
        double[] column = new double[d];
        for (int i = 0; i < d; i++) {
            int row = i * d + i, n = d - i;
            System.arraycopy(a, row, u, row, n);
            for (int k = 0; k < i; k++) column[k] = -u[k * d + i];
            RowKernels.rowsTimes(column, 0, u, i, d, i, u, row, n);
            double pivot = u[row];
            if (!(pivot > minPivot) || pivot == Double.POSITIVE_INFINITY) return null;
            double r = Math.sqrt(pivot);
            u[row] = r;
            for (int j = row + 1; j < row + n; j++) u[j] /= r;
        }
        return u;
    }

    /** X = U⁻¹ for an upper triangular U with a positive diagonal; null if an entry of X is not finite. */
    static double[] invertUpper(double[] u, int d, ForkJoinPool pool) {
        double[] x = new double[d * d];
        int strips = (d + STRIP - 1) / STRIP;
        long work = (long) d * d * d / 6;
        int threads = Parts.threads(pool, work, strips);
        // Column j costs about j²/2 multiply-adds: the runs end where the cumulative cost, ∝ j³, splits evenly.
        int[] ends = new int[threads + 1];
        for (int t = 1; t <= threads; t++) {
            ends[t] = t == threads ? strips : Math.max(ends[t - 1], (int) Math.round(strips * Math.cbrt((double) t / threads)));
        }
        Parts.run(pool, threads, t -> invertStrips(u, d, x, ends[t], ends[t + 1]));
        for (double v : x) if (!Double.isFinite(v)) return null;
        return x;
    }

    private static void invertStrips(double[] u, int d, double[] x, int s0, int s1) {
        for (int s = s0; s < s1; s++) invertStrip(u, d, x, s * STRIP, Math.min(d, (s + 1) * STRIP));
    }

    /**
     * Columns [j0, j1) of X = U⁻¹. Rows at or below j1 are zero there; row i sums the rows k of X with
     * i &lt; k &lt; j1 over its columns [max(i+1, j0), j1) (the entries of row k left of column k are zeros).
     */
    private static void invertStrip(double[] u, int d, double[] x, int j0, int j1) {
        for (int i = j1 - 1; i >= 0; i--) {
            double inv = 1.0 / u[i * d + i];
            int c0 = Math.max(i + 1, j0), n = j1 - c0, rows = j1 - 1 - i;
            if (n > 0) {
                int y = i * d + c0;
                RowKernels.rowsTimes(u, i * d + i + 1, x, (i + 1) * d + c0, d, rows, x, y, n);
                for (int j = y; j < y + n; j++) x[j] = -x[j] * inv;
            }
            if (i >= j0) x[i * d + i] = inv;
        }
    }
}
