package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;

import java.util.concurrent.ForkJoinPool;

/**
 * The orthogonal factor of a sequence of Householder reflectors ({@link Householder#reflect}), formed by
 * backward accumulation in blocks of {@value #NB} reflectors in compact WY form (Schreiber &amp; Van Loan
 * 1989; LAPACK's dlarft and dlarfb, forward, columnwise): H_j0 ⋯ H_{j0+NB−1} = I − V T Vᵀ with T upper
 * triangular, applied to the trailing block as Q ← Q − V (T (Vᵀ Q)). Reflector by reflector, every
 * step reads the trailing block twice and writes it once; a block reads it twice and writes it once per
 * NB reflectors, and the work between lies in the cache (Vᵀ Q four rows of Q at a time, V Y row by row
 * of Q). Q may be rectangular (the first cols columns of an orthogonal rows × rows matrix: the SVD's U).
 *
 * <p>The columns of Q are independent, so runs of them are split between threads. Same bits at every
 * vector width and thread count: each entry of Vᵀ Q, T (Vᵀ Q) and V Y is one chain of fused
 * multiply-adds in a fixed order ({@link RowKernels#rowsTimes}), and the dot products of T are
 * {@link FixedOrderSums}.
 */
final class BlockReflectors {
    /** Reflectors per block. */
    static final int NB = 32;
    /** Blocks run while their trailing order is at least NB plus this; smaller trailing blocks go one by one. */
    static final int MIN_ORDER = 96;
    /** Rows of Q taken per pass of Vᵀ Q (four rows of a 1024-wide Q stay in L1). */
    private static final int ROWS = 4;
    /** Fewest columns of Q a thread takes (runs of them are split between threads). */
    private static final int COLUMNS_PER_PART = 64;

    private BlockReflectors() {}

    /**
     * Q = H_0 H_1 … H_{count−1} applied to the first {@code cols} columns of the identity of order
     * {@code rows} (row-major rows × cols, rows ≥ cols). Reflector j acts on indices o = j + shift …; its
     * vector lies at vs[j·ldv + o …] with v₀ = 1 stored. The last reflectors, whose trailing blocks are
     * small, go one by one ({@link Householder#applyBackward}); the rest in blocks, the last block first.
     */
    static double[] accumulate(double[] vs, int ldv, double[] tau, int count, int shift, int rows, int cols, ForkJoinPool pool) {
        int blocks = 0;
        while ((blocks + 1) * NB <= count && cols - blocks * NB - shift >= NB + MIN_ORDER) blocks++;
        double[] q = new double[rows * cols];
        for (int i = 0; i < cols; i++) q[i * cols + i] = 1.0;
        Householder.applyBackward(q, vs, ldv, tau, blocks * NB, count, shift, rows, cols);
        if (blocks == 0) return q;
        int mMax = rows - shift, nMax = cols - shift;
        double[] vt = new double[NB * mMax], negV = new double[mMax * NB], t = new double[NB * NB], z = new double[NB];
        int maxParts = Parts.threads(pool, Long.MAX_VALUE, nMax / COLUMNS_PER_PART);
        double[][] w = new double[maxParts][NB * nMax], y = new double[maxParts][NB * nMax];
        for (int b = blocks - 1; b >= 0; b--) {
            // The trailing block Q_sub: rows o0 … rows−1 (m of them, where V lives), columns o0 … cols−1 (n).
            int j0 = b * NB, o0 = j0 + shift, m = rows - o0, n = cols - o0;
            // Vᵀ (NB × m; reflector r is zero before its own index r, which holds its stored 1) and −V.
            for (int r = 0; r < NB; r++) {
                int row = r * m;
                java.util.Arrays.fill(vt, row, row + r, 0.0);
                System.arraycopy(vs, (j0 + r) * ldv + o0 + r, vt, row + r, m - r);
                for (int x = 0; x < m; x++) negV[x * NB + r] = -vt[row + x];
            }
            triangle(vt, m, tau, j0, t, z);
            // The columns of Q_sub are independent: each part takes a run of them.
            int parts = Math.min(maxParts, Parts.threads(pool, 4L * NB * m * n, n / COLUMNS_PER_PART));
            Parts.runs(pool, parts, n, (p, c0, c1) -> update(vt, negV, t, q, cols, o0, m, c0, c1 - c0, w[p], y[p]));
        }
        return q;
    }

    /** Columns [o0 + c0, o0 + c0 + width) of Q_sub −= V (T (Vᵀ Q_sub)), with w and y for Vᵀ Q_sub and T (Vᵀ Q_sub). */
    private static void update(double[] vt, double[] negV, double[] t, double[] q, int cols, int o0, int m, int c0, int width,
                               double[] w, double[] y) {
        // W = Vᵀ Q_sub, summed over the rows of Q_sub in order (only reflectors r ≤ x reach row x).
        java.util.Arrays.fill(w, 0, NB * width, 0.0);
        for (int x0 = 0; x0 < m; x0 += ROWS) {
            int take = Math.min(ROWS, m - x0), q0 = (o0 + x0) * cols + o0 + c0;
            for (int r = 0, rEnd = Math.min(NB, x0 + take); r < rEnd; r++) {
                RowKernels.rowsTimes(vt, r * m + x0, q, q0, cols, take, w, r * width, width);
            }
        }
        // Y = T W (T upper triangular), then Q_sub −= V Y row by row.
        java.util.Arrays.fill(y, 0, NB * width, 0.0);
        for (int r = 0; r < NB; r++) RowKernels.rowsTimes(t, r * NB + r, w, r * width, width, NB - r, y, r * width, width);
        for (int x = 0; x < m; x++) {
            RowKernels.rowsTimes(negV, x * NB, y, 0, width, Math.min(NB, x + 1), q, (o0 + x) * cols + o0 + c0, width);
        }
    }

    /**
     * T (NB × NB, upper triangular, row-major) with H_j0 ⋯ H_{j0+NB−1} = I − V T Vᵀ: column i is
     * τ_i e_i − τ_i T (Vᵀ v_i) over the columns before it (dlarft); a reflector with τ = 0 (H = I) gets
     * a zero column, and then a zero row follows from it.
     */
    private static void triangle(double[] vt, int n, double[] tau, int j0, double[] t, double[] z) {
        java.util.Arrays.fill(t, 0.0);
        for (int i = 0; i < NB; i++) {
            double ti = tau[j0 + i];
            if (ti == 0.0) continue;
            // z_c = v_cᵀ v_i over the rows where v_i is nonzero (from i on).
            for (int c = 0; c < i; c++) z[c] = FixedOrderSums.dot(vt, c * n + i, vt, i * n + i, n - i);
            for (int r = 0; r < i; r++) {
                double s = 0.0;
                for (int c = r; c < i; c++) s = Math.fma(t[r * NB + c], z[c], s);
                t[r * NB + i] = -ti * s;
            }
            t[i * NB + i] = ti;
        }
    }
}
