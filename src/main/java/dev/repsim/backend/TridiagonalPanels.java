package dev.repsim.backend;

import dev.repsim.linalg.FixedOrderSums;

import java.util.concurrent.ForkJoinPool;

/**
 * The blocked part of the Householder tridiagonalisation (LAPACK's dsytrd with dlatrd, lower storage;
 * Golub &amp; Van Loan, Matrix Computations, 4th ed., §8.3.1 and §5.1.7): panels of {@value #NB} steps.
 * Within a panel only the panel's column is brought up to date before each reflector, and A v is taken
 * from the trailing matrix as it stood at the panel's start, corrected by the panel's earlier steps
 * (y = A v − V (Wᵀ v) − W (Vᵀ v)); the vectors v and w of the steps are kept. The trailing matrix then
 * takes all of them at once, A ← A − V Wᵀ − W Vᵀ, as one symmetric product of depth 2·NB by
 * {@link BlockedGemm} (level 3, in parallel). An unblocked step reads and writes the whole trailing matrix;
 * a blocked one only reads it, once, and the rank-2·NB update runs near the GEMM rate.
 *
 * <p>Same bits at every vector width and thread count: the panel's dot products are
 * {@link FixedOrderSums}, its row updates element-wise ({@link RowKernels}), and each entry of the
 * product is one chain of fused multiply-adds in k order (depth 2·NB is below every width's reduction
 * block {@link DoublePackedKernel#KC}, so it is never split; each entry is computed by one thread).
 */
final class TridiagonalPanels {
    /** Steps per panel. */
    static final int NB = 32;
    /** Panels run while at least this many rows remain after the panel; the unblocked steps finish the rest. */
    static final int MIN_TRAILING = 128;

    private TridiagonalPanels() {}

    /**
     * Performs the panels' steps on {@code a} (as {@link SymmetricEigensolver#tridiagonalise}: T into diag
     * and off, reflector k into row k, τ into tau) and returns the first step not taken; the trailing
     * matrix from that step on is fully updated (both triangles), so unblocked steps can go on from there.
     */
    static int reduce(double[] a, int d, double[] diag, double[] off, double[] tau, ForkJoinPool pool) {
        if (d - NB < MIN_TRAILING) return 0;
        double[][] v = new double[NB][d], w = new double[NB][d];
        int n0 = d - NB, depth = 2 * NB;
        double[] left = new double[n0 * depth], right = new double[n0 * depth], c = new double[n0 * n0];
        int p0 = 0;
        for (; d - p0 - NB >= MIN_TRAILING; p0 += NB) {
            panel(a, d, p0, diag, off, tau, v, w);
            int p1 = p0 + NB, n = d - p1;
            // [V W] and [W V] over the trailing rows, each row of the operands NB values of each.
            for (int x = 0; x < n; x++) {
                int o = x * depth;
                for (int r = 0; r < NB; r++) {
                    left[o + r] = right[o + NB + r] = v[r][p1 + x];
                    left[o + NB + r] = right[o + r] = w[r][p1 + x];
                }
            }
            var kernel = new DoublePackedKernel(left, depth, PackedKernel.Layout.K_COLS, right, depth, PackedKernel.Layout.K_COLS);
            BlockedGemm.product(kernel, n, n, depth, true, pool, c);
            Symmetric.mirrorUpper(c, n);
            for (int i = 0; i < n; i++) RowKernels.axpy(-1.0, c, i * n, a, (p1 + i) * d + p1, n);
        }
        return p0;
    }

    /** The NB steps from p0: reflectors, v and w of each; rows past the panel are left as they were. */
    private static void panel(double[] a, int d, int p0, double[] diag, double[] off, double[] tau, double[][] v, double[][] w) {
        for (int i = 0; i < NB; i++) {
            int k = p0 + i, row = k * d;
            // Column k (stored as row k) takes the panel's earlier updates.
            for (int r = 0; r < i; r++) RowKernels.rank2(a, row + k, v[r], w[r], k, d - k, v[r][k], w[r][k]);
            diag[k] = a[row + k];
            int o = k + 1, n = d - o;
            off[k] = Householder.reflect(a, row + o, n, tau, k);
            double t = tau[k];
            double[] vk = v[i], wk = w[i];
            System.arraycopy(a, row + o, vk, o, n);
            java.util.Arrays.fill(wk, o, d, 0.0);
            if (t == 0.0) continue; // H = I: w = 0 leaves every update unchanged
            // y = A v as a sum of rows of the trailing matrix as it stood at the panel's start (rows o … are
            // untouched so far), then y −= V (Wᵀ v) + W (Vᵀ v) for the panel's earlier steps.
            RowKernels.rowsTimes(vk, o, a, o * d + o, d, n, wk, o, n);
            for (int r = 0; r < i; r++) {
                double wv = FixedOrderSums.dot(w[r], o, vk, o, n), vv = FixedOrderSums.dot(v[r], o, vk, o, n);
                RowKernels.rank2(wk, o, v[r], w[r], o, n, vv, wv);
            }
            // w = τ y − ½ τ (τ yᵀv) v, so that H A H = A − v wᵀ − w vᵀ (as the unblocked step).
            for (int j = o; j < d; j++) wk[j] *= t;
            double alpha = -0.5 * t * FixedOrderSums.dot(wk, o, vk, o, n);
            for (int j = o; j < d; j++) wk[j] = Math.fma(alpha, vk[j], wk[j]);
        }
    }
}
