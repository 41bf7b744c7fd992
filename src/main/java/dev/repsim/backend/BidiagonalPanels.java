package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;

import java.util.concurrent.ForkJoinPool;

/**
 * The blocked part of the Golub–Kahan bidiagonalisation (LAPACK's dgebrd with dlabrd, rows ≥ cols;
 * Golub &amp; Van Loan, Matrix Computations, 4th ed., §5.4.8 and §5.1.7): panels of {@value #NB} steps.
 * Step i of a panel brings only column i and row i up to date, then takes the products with its two
 * reflectors from the trailing matrix as it stood at the panel's start, corrected by the panel's earlier
 * steps: y_i = τq (Aᵀv_i − Y Vᵀv_i − Uᵀ Xᵀv_i) and x_i = τp (A u_i − V Yᵀu_i − X U u_i), where the
 * columns of V and X and the rows of U and Y are the panel's earlier v, x, u, y. The trailing matrix then
 * takes them all at once, A ← A − V Yᵀ − X U, as one product of depth 2·NB by {@link BlockedGemm}
 * (level 3, in parallel). An unblocked step reads the trailing matrix twice and writes it once; a
 * blocked one reads it twice and writes nothing.
 *
 * <p>Same bits at every vector width and thread count: the panel's dot products are
 * {@link FixedOrderSums}, its vector updates element-wise ({@link RowKernels}), and each entry of the
 * product is one chain of fused multiply-adds in k order (depth 2·NB is below every width's reduction
 * block {@link DoublePackedKernel#KC}, so it is never split; each entry is computed by one thread).
 */
final class BidiagonalPanels {
    /** Steps per panel. */
    static final int NB = 32;
    /** Panels run while at least this many columns remain after the panel; the unblocked steps finish the rest. */
    static final int MIN_TRAILING = 128;

    private BidiagonalPanels() {}

    /**
     * Performs the panels' steps on {@code a} (as {@link SvdSolver#bidiagonalise}: d, e the bidiagonal,
     * left reflector j at leftV[j·rows + j …], right reflector j in row j of {@code a} at columns j+1 …)
     * and returns the first step not taken; the trailing matrix from that step on is fully updated, so
     * unblocked steps can go on from there.
     */
    static int reduce(double[] a, int rows, int cols, double[] d, double[] e, double[] leftV, double[] tauL,
                      double[] tauR, ForkJoinPool pool) {
        if (cols - NB < MIN_TRAILING) return 0;
        double[][] x = new double[NB][rows], y = new double[NB][cols];
        int depth = 2 * NB, m0 = rows - NB, n0 = cols - NB;
        double[] left = new double[m0 * depth], right = new double[n0 * depth], c = new double[m0 * n0];
        int p0 = 0;
        for (; cols - p0 - NB >= MIN_TRAILING; p0 += NB) {
            panel(a, rows, cols, p0, d, e, leftV, tauL, tauR, x, y);
            int p1 = p0 + NB, m = rows - p1, n = cols - p1;
            // [V X] over the trailing rows and [Y Uᵀ] over the trailing columns, NB values of each per row.
            for (int i = 0; i < m; i++) {
                int o = i * depth;
                for (int r = 0; r < NB; r++) {
                    left[o + r] = leftV[(p0 + r) * rows + p1 + i];
                    left[o + NB + r] = x[r][p1 + i];
                }
            }
            for (int j = 0; j < n; j++) {
                int o = j * depth;
                for (int r = 0; r < NB; r++) {
                    right[o + r] = y[r][p1 + j];
                    right[o + NB + r] = a[(p0 + r) * cols + p1 + j];
                }
            }
            var kernel = new DoublePackedKernel(left, depth, PackedKernel.Layout.K_COLS, right, depth, PackedKernel.Layout.K_COLS);
            BlockedGemm.product(kernel, m, n, depth, false, pool, c);
            for (int i = 0; i < m; i++) RowKernels.axpy(-1.0, c, i * n, a, (p1 + i) * cols + p1, n);
        }
        return p0;
    }

    /** The NB steps from p0: reflectors, x and y of each; rows and columns past the panel are left as they were. */
    private static void panel(double[] a, int rows, int cols, int p0, double[] d, double[] e, double[] leftV,
                              double[] tauL, double[] tauR, double[][] x, double[][] y) {
        // The panel's columns from the diagonal down into leftV, in one pass over the rows (no step changes
        // them before its own: a step updates its row right of the diagonal and the rows below it not at all).
        for (int q = p0; q < rows; q++) {
            for (int s = 0, src = q * cols + p0; s < NB && p0 + s <= q; s++) leftV[(p0 + s) * rows + q] = a[src + s];
        }
        for (int s = 0; s < NB; s++) {
            int i = p0 + s, lv = i * rows, row = i * cols, m = rows - i, o = i + 1, n = cols - o;
            // Column i from row i takes the panel's earlier steps, −= v_r y_r[i] + x_r u_r[i].
            for (int r = 0; r < s; r++) {
                int pr = p0 + r;
                RowKernels.axpy(-y[r][i], leftV, pr * rows + i, leftV, lv + i, m);
                RowKernels.axpy(-a[pr * cols + i], x[r], i, leftV, lv + i, m);
            }
            d[i] = Householder.reflect(leftV, lv + i, m, tauL, i);
            double[] ys = y[s];
            java.util.Arrays.fill(ys, o, cols, 0.0);
            double tq = tauL[i];
            if (tq != 0.0) {
                // Aᵀv as a sum of rows i … (untouched since the panel's start), then the earlier steps' share.
                RowKernels.rowsTimes(leftV, lv + i, a, row + o, cols, m, ys, o, n);
                for (int r = 0; r < s; r++) {
                    int pr = p0 + r;
                    RowKernels.axpy(-FixedOrderSums.dot(leftV, pr * rows + i, leftV, lv + i, m), y[r], o, ys, o, n);
                    RowKernels.axpy(-FixedOrderSums.dot(x[r], i, leftV, lv + i, m), a, pr * cols + o, ys, o, n);
                }
                for (int j = o; j < cols; j++) ys[j] *= tq;
            }
            // Row i from column i+1 takes the left reflectors up to this one (v_i[i] = 1) and the earlier right ones.
            for (int r = 0; r <= s; r++) {
                int pr = p0 + r;
                RowKernels.axpy(-leftV[pr * rows + i], y[r], o, a, row + o, n);
                if (r < s) RowKernels.axpy(-x[r][i], a, pr * cols + o, a, row + o, n);
            }
            e[i] = Householder.reflect(a, row + o, n, tauR, i);
            double[] xs = x[s];
            java.util.Arrays.fill(xs, o, rows, 0.0);
            double tp = tauR[i];
            if (tp == 0.0) continue;
            // A u over rows o … (untouched since the panel's start), then the earlier steps' share.
            FixedOrderSums.dots(a, o * cols + o, cols, rows - o, a, row + o, n, xs, o);
            for (int r = 0; r <= s; r++) {
                int pr = p0 + r;
                RowKernels.axpy(-FixedOrderSums.dot(y[r], o, a, row + o, n), leftV, pr * rows + o, xs, o, rows - o);
                if (r < s) RowKernels.axpy(-FixedOrderSums.dot(a, pr * cols + o, a, row + o, n), x[r], o, xs, o, rows - o);
            }
            for (int q = o; q < rows; q++) xs[q] *= tp;
        }
    }
}
