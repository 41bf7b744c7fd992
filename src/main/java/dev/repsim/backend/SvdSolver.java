package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;

import java.util.concurrent.ForkJoinPool;

/**
 * Singular value decomposition A = U Σ Vᵀ of a dense m × n matrix in pure Java:
 * <ol>
 * <li>Golub–Kahan bidiagonalisation by Householder reflectors from the left and the right (Golub &amp;
 *     Van Loan, Matrix Computations, 4th ed., §5.4.8), on the transpose when m &lt; n, in panels whose
 *     trailing updates are one level-3 product each ({@link BidiagonalPanels}) while the matrix is wide;</li>
 * <li>for the values alone, implicit shifted QR on the bidiagonal (Golub &amp; Kahan 1965; Golub &amp;
 *     Reinsch 1970; GVL Algorithm 8.6.1 with the zero-diagonal deflation of §8.6.2), on the two
 *     diagonals alone;</li>
 * <li>with vectors, the bidiagonal's SVD by divide and conquer ({@link BidiagonalDivideAndConquer}, as
 *     LAPACK's dgesdd), then U = Q_L·U_B and V = Q_R·V_B, each one blocked product with the reflectors'
 *     accumulated Q. Without V_B (a tall input's leftSvd), only the first and last rows of each
 *     subproblem's V_B are formed.</li>
 * </ol>
 * This works on A itself, never on AᵀA, whose eigenvalues would lose the singular values below
 * √ε‖A‖; every step is backward stable, so each singular value is within O(ε‖A‖) of the exact one, as
 * LAPACK's. The values-only path (CCA's correlations) skips the vectors and costs about the
 * bidiagonalisation alone. One-sided Jacobi would give small singular values to high relative accuracy
 * but needs several sweeps of O(n³) each; CCA needs absolute accuracy only.
 */
final class SvdSolver {
    /** QR sweeps allowed per singular value before giving up. */
    private static final int MAX_SWEEPS = 75;
    private static final double EPS = Math.ulp(1.0);
    private static final double TINY = 0x1p-966;

    private SvdSolver() {}

    /** The singular values of the row-major m × n {@code a}, descending. */
    static double[] values(double[] a, int m, int n, ForkJoinPool pool) {
        return solve(a, m, n, false, false, pool).s();
    }

    /** The thin SVD: s descending, U (m × k) and Vᵀ (k × n), k = min(m, n). */
    static Decompositions.Svd decompose(double[] a, int m, int n, ForkJoinPool pool) {
        return solve(a, m, n, true, true, pool);
    }

    /**
     * The thin SVD without Vᵀ (null): forming V (its reflectors and its share of the QR rotations) is
     * about half the work of the vectors.
     */
    static Decompositions.Svd decomposeLeft(double[] a, int m, int n, ForkJoinPool pool) {
        return solve(a, m, n, true, false, pool);
    }

    private static Decompositions.Svd solve(double[] matrix, int m, int n, boolean wantU, boolean wantV, ForkJoinPool pool) {
        if (matrix.length != (long) m * n) throw new IllegalArgumentException("expected " + m + "x" + n + " values, got " + matrix.length);
        int k = Math.min(m, n);
        if (k == 0) return new Decompositions.Svd(new double[0], wantU ? new double[0] : null, wantV ? new double[0] : null, m, n);
        double scale = Householder.scaleFor(matrix, "SVD");
        boolean wide = m < n; // work on Aᵀ = V Σ Uᵀ, which is tall
        int rows = wide ? n : m, cols = k;
        double[] a = new double[rows * cols];
        if (wide) {
            for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) a[j * m + i] = matrix[i * n + j] * scale;
        } else {
            for (int i = 0; i < a.length; i++) a[i] = matrix[i] * scale;
        }
        double[] d = new double[cols], e = new double[cols];
        double[] leftV = new double[cols * rows], tauL = new double[cols], tauR = new double[cols];
        bidiagonalise(a, rows, cols, d, e, leftV, tauL, tauR, pool);
        if (!wantU && !wantV) {
            bidiagonalQr(d, e, PlaneRotations.none(), PlaneRotations.none());
            double[] ascending = new double[k], s = new double[k];
            for (int t = 0; t < k; t++) ascending[t] = Math.abs(d[t]);
            java.util.Arrays.sort(ascending);
            for (int t = 0; t < k; t++) s[t] = ascending[k - 1 - t] / scale;
            return new Decompositions.Svd(s, null, null, m, n);
        }
        // The tall matrix's left vectors are A's U, or its V when A is wide.
        boolean tallLeft = wide ? wantV : wantU, tallRight = wide ? wantU : wantV;
        BidiagonalDivideAndConquer.Svd b = BidiagonalDivideAndConquer.solve(d, e, tallLeft, tallRight, pool);
        // Columns are the tall matrix's vectors: U = Q_L·U_B (rows × cols), V = Q_R·V_B (cols × cols).
        double[] left = tallLeft
                ? BlockedGemm.product(BlockReflectors.accumulate(leftV, rows, tauL, cols, 0, rows, cols, pool), b.u(), rows, cols, cols, pool)
                : null;
        double[] right = tallRight
                ? BlockedGemm.product(BlockReflectors.accumulate(a, cols, tauR, Math.max(0, cols - 2), 1, cols, cols, pool), b.v(), cols, cols, cols, pool)
                : null;
        // b.s() is ascending; A's values descending.
        double[] s = new double[k];
        for (int t = 0; t < k; t++) s[t] = b.s()[k - 1 - t] / scale;
        double[] uOut = wantU ? new double[m * k] : null, vtOut = wantV ? new double[k * n] : null;
        double[] aLeft = wide ? right : left, aRight = wide ? left : right;
        for (int t = 0; t < k; t++) {
            int src = k - 1 - t;
            if (wantU) for (int i = 0; i < m; i++) uOut[i * k + t] = aLeft[i * k + src];
            if (wantV) for (int j = 0; j < n; j++) vtOut[t * n + j] = aRight[j * k + src];
        }
        return new Decompositions.Svd(s, uOut, vtOut, m, n);
    }

    /**
     * Reduces the row-major rows × cols {@code a} (rows ≥ cols) to upper bidiagonal form: d the diagonal,
     * e[j] the entry (j, j+1). The left reflector j is stored at leftV[j·rows + j …], the right one in row
     * j of {@code a} at columns j+1 …. Panels of steps ({@link BidiagonalPanels}) while the trailing matrix
     * is wide, then unblocked steps.
     *
     * <p>An unblocked step reads the trailing block twice: once for z = vᵀ A_sub (the left reflector's row
     * of products), and once to update it, where each row takes the left reflector and then, still in the
     * L1 cache, the right one (whose vector is row j, the first row updated). Every row sees the same
     * operations in the same order as with the two updates in separate passes (the singular values of a
     * 768 × 768 matrix took 116 ms instead of 140 on the Intel host of results/cpu-intel-avx512-2c/extra/
     * bidiagonal/). It runs on one thread: handing each pass to the pool's two threads cost more in the
     * 2 × 768 hand-overs than it saved (162 ms there; the panels' passes split the same way took 123–299 ms
     * instead of 109–113 on the Zen 3 of results/cpu-zen3-2c/extra/bidiagonal-panels/).
     */
    static void bidiagonalise(double[] a, int rows, int cols, double[] d, double[] e, double[] leftV,
                              double[] tauL, double[] tauR, ForkJoinPool pool) {
        double[] z = new double[cols];
        for (int j = BidiagonalPanels.reduce(a, rows, cols, d, e, leftV, tauL, tauR, pool); j < cols; j++) {
            // Left reflector from column j, rows j ….
            int lv = j * rows;
            for (int i = j; i < rows; i++) leftV[lv + i] = a[i * cols + j];
            d[j] = Householder.reflect(leftV, lv + j, rows - j, tauL, j);
            int o = j + 1, n = cols - o;
            if (n == 0) break;
            double t = tauL[j];
            boolean left = t != 0.0;
            if (left) {
                // z = vᵀ A_sub as a sum of rows.
                java.util.Arrays.fill(z, o, cols, 0.0);
                for (int i = j; i < rows; i++) RowKernels.axpy(leftV[lv + i], a, i * cols + o, z, o, n);
            }
            int row = j * cols;
            if (left) RowKernels.axpy(-t * leftV[lv + j], z, o, a, row + o, n);
            // Right reflector from row j, columns j+1 …: each later row r −= τ (r·u) uᵀ.
            double tr = 0.0;
            if (n == 1) e[j] = a[row + o];
            else {
                e[j] = Householder.reflect(a, row + o, n, tauR, j);
                tr = tauR[j];
            }
            if (!left && tr == 0.0) continue;
            for (int i = o; i < rows; i++) {
                int ri = i * cols + o;
                if (left) RowKernels.axpy(-t * leftV[lv + i], z, o, a, ri, n);
                if (tr != 0.0) RowKernels.axpy(-tr * FixedOrderSums.dot(a, ri, a, row + o, n), a, row + o, a, ri, n);
            }
        }
    }

    /**
     * Implicit shifted QR on the upper bidiagonal (d, e): d becomes the singular values up to sign
     * (unsorted); rotations of columns of U go to {@code left}, of columns of V to {@code right}, both as
     * rotations of the rows of the transposes.
     */
    static void bidiagonalQr(double[] d, double[] e, PlaneRotations left, PlaneRotations right) {
        int n = d.length;
        int hi = n - 1;
        int sweeps = 0;
        while (hi > 0) {
            if (negligible(e[hi - 1], d[hi - 1], d[hi])) {
                e[hi - 1] = 0.0;
                hi--;
                continue;
            }
            int lo = hi - 1;
            while (lo > 0 && !negligible(e[lo - 1], d[lo - 1], d[lo])) lo--;
            if (lo > 0) e[lo - 1] = 0.0;
            if (++sweeps > MAX_SWEEPS * n) throw new ArithmeticException("SVD did not converge (order " + n + ")");
            int zero = -1;
            for (int i = lo; i <= hi && zero < 0; i++) {
                double near = (i > lo ? Math.abs(e[i - 1]) : 0.0) + (i < hi ? Math.abs(e[i]) : 0.0);
                if (Math.abs(d[i]) <= TINY + EPS * near) zero = i;
            }
            if (zero >= 0) {
                d[zero] = 0.0;
                if (zero < hi) chaseRow(d, e, zero, hi, left);
                else chaseColumn(d, e, lo, hi, right);
            } else {
                step(d, e, lo, hi, left, right);
            }
        }
    }

    private static boolean negligible(double e, double d0, double d1) {
        return Math.abs(e) <= TINY + EPS * (Math.abs(d0) + Math.abs(d1));
    }

    /** d[z] = 0, z &lt; hi: left rotations of rows (z, j), j = z+1 … hi, push e[z] out along row z. */
    private static void chaseRow(double[] d, double[] e, int z, int hi, PlaneRotations left) {
        double f = e[z];
        e[z] = 0.0;
        for (int j = z + 1; j <= hi && f != 0.0; j++) {
            double t = Householder.hypot(d[j], f), c = d[j] / t, s = f / t;
            d[j] = t;
            if (j < hi) {
                f = -s * e[j];
                e[j] = c * e[j];
            }
            left.add(z, j, c, s); // u_z ← c u_z − s u_j, u_j ← s u_z + c u_j
        }
    }

    /** d[hi] = 0: right rotations of columns (j, hi), j = hi−1 … lo, push e[hi−1] up column hi. */
    static void chaseColumn(double[] d, double[] e, int lo, int hi, PlaneRotations right) {
        double f = e[hi - 1];
        e[hi - 1] = 0.0;
        for (int j = hi - 1; j >= lo && f != 0.0; j--) {
            double t = Householder.hypot(d[j], f), c = d[j] / t, s = f / t;
            d[j] = t;
            if (j > lo) {
                f = -s * e[j - 1];
                e[j - 1] = c * e[j - 1];
            }
            right.add(j, hi, c, -s); // v_j ← c v_j + s v_hi, v_hi ← −s v_j + c v_hi
        }
    }

    /** One implicit QR sweep with Wilkinson's shift on the unreduced block lo … hi. */
    private static void step(double[] d, double[] e, int lo, int hi, PlaneRotations left, PlaneRotations right) {
        // Shift: the eigenvalue of the trailing 2×2 of BᵀB nearer its last diagonal entry.
        double dm = d[hi - 1], dn = d[hi], em = e[hi - 1], ep = hi - 2 >= lo ? e[hi - 2] : 0.0;
        double t11 = dm * dm + ep * ep, t12 = dm * em, t22 = dn * dn + em * em;
        double delta = 0.5 * (t11 - t22);
        double mu = t22;
        if (t12 != 0.0) {
            double root = Householder.hypot(delta, t12);
            mu = t22 - t12 * t12 / (delta + (delta >= 0 ? root : -root));
        }
        double y = d[lo] * d[lo] - mu, z = d[lo] * e[lo];
        for (int k = lo; k < hi; k++) {
            // Right rotation of columns (k, k+1) that zeroes z against y.
            double t = Householder.hypot(y, z), c = t == 0.0 ? 1.0 : y / t, s = t == 0.0 ? 0.0 : z / t;
            if (k > lo) e[k - 1] = t;
            y = c * d[k] + s * e[k];
            e[k] = c * e[k] - s * d[k];
            z = s * d[k + 1];
            d[k + 1] = c * d[k + 1];
            right.add(k, k + 1, c, -s);
            // Left rotation of rows (k, k+1) that zeroes the bulge z below the diagonal.
            t = Householder.hypot(y, z);
            c = t == 0.0 ? 1.0 : y / t;
            s = t == 0.0 ? 0.0 : z / t;
            d[k] = t;
            y = c * e[k] + s * d[k + 1];
            d[k + 1] = c * d[k + 1] - s * e[k];
            if (k + 1 < hi) {
                z = s * e[k + 1];
                e[k + 1] = c * e[k + 1];
            }
            left.add(k, k + 1, c, -s);
        }
        e[hi - 1] = y;
    }
}
