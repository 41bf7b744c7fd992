package dev.repsim.backend;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal T by divide and conquer (Cuppen 1981, in the
 * stable form of Gu &amp; Eisenstat 1995 that LAPACK's dstedc uses). Cutting T at m with the coupling β gives
 * T = diag(T₁ − |β| e_m e_mᵀ, T₂ − |β| e₁e₁ᵀ) + |β| u uᵀ, u = e_m ± e_{m+1}; with the halves solved,
 * T₁' = Q₁D₁Q₁ᵀ and T₂' = Q₂D₂Q₂ᵀ, T = Q (D + ρ z zᵀ) Qᵀ with Q = diag(Q₁, Q₂), z = Qᵀu/√2, ρ = 2|β|.
 * The merge then
 * <ol>
 * <li>deflates: a z_i below the tolerance leaves (d_i, column i of Q) as an eigenpair, and two close
 *     d_i, d_j are rotated so that one of them does (Golub &amp; Van Loan §8.4.3);</li>
 * <li>finds the k remaining eigenvalues, the roots of the secular equation
 *     f(λ) = 1/ρ + Σ z_i²/(d_i − λ) = 0, one in each gap (d_j, d_{j+1}) and the last in
 *     (d_k, d_k + ρ‖z‖²], each as an offset τ from its nearer pole, so that d_i − λ_j is accurate to
 *     working precision (Li's "middle way" rational model, safeguarded by bisection; {@link SecularEquation});</li>
 * <li>recomputes z from the computed roots (Löwner's formula, Gu &amp; Eisenstat), for which they are
 *     the exact eigenvalues, so the vectors ẑ_i / (d_i − λ_j) are orthogonal to working precision;</li>
 * <li>multiplies Q by them, one level-3 product per block of Q (columns that a deflating rotation mixed
 *     belong to both).</li>
 * </ol>
 * Orders up to {@value #LEAF} are solved by implicit QL. The flops are about (4/3) n³ in products, where QL
 * spends about 3n³ in plane rotations. Every sum runs in a fixed order and the roots are independent of
 * one another, so results are the same bits at every thread count and vector width.
 */
final class TridiagonalDivideAndConquer {
    /** Orders at or below this are left to implicit QL. */
    static final int LEAF = 32;
    private static final double EPS = Math.ulp(1.0) / 2;
    /** Column types of the merged Q: rows of the first block only, of both, of the second only. */
    private static final byte FIRST = 0, BOTH = 1, SECOND = 2;

    private TridiagonalDivideAndConquer() {}

    /**
     * The tridiagonal with diagonal {@code diag} and off-diagonal {@code off} (off[i] couples i and i+1;
     * off[n−1] is not read). On return diag holds the eigenvalues ascending; the result is Z, row-major
     * n × n, whose column j is the unit eigenvector of diag[j]. {@code off} is left unchanged.
     */
    static double[] solve(double[] diag, double[] off, ForkJoinPool pool) {
        return solve(diag, off, 0, diag.length, pool);
    }

    private static double[] solve(double[] diag, double[] off, int lo, int n, ForkJoinPool pool) {
        if (n <= LEAF) return leaf(diag, off, lo, n);
        int m = n / 2;
        double beta = off[lo + m - 1], rho = Math.abs(beta);
        diag[lo + m - 1] -= rho;
        diag[lo + m] -= rho;
        double[] q1 = solve(diag, off, lo, m, pool);
        double[] q2 = solve(diag, off, lo + m, n - m, pool);
        return merge(diag, lo, n, m, q1, q2, 2 * rho, beta < 0 ? -1.0 : 1.0, pool);
    }

    /** Implicit QL on the small tridiagonal at [lo, lo + n), its rotations applied to the identity. */
    private static double[] leaf(double[] diag, double[] off, int lo, int n) {
        double[] d = Arrays.copyOfRange(diag, lo, lo + n), e = new double[n];
        if (n > 1) System.arraycopy(off, lo, e, 0, n - 1);
        double[] zt = new double[n * n];
        for (int i = 0; i < n; i++) zt[i * n + i] = 1.0;
        PlaneRotations rotations = new PlaneRotations(zt, n, 4 * n * n);
        SymmetricEigensolver.ql(d, e, rotations);
        rotations.flush();
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) order[k] = k;
        Arrays.sort(order, (x, y) -> Double.compare(d[x], d[y]));
        double[] z = new double[n * n];
        for (int k = 0; k < n; k++) {
            diag[lo + k] = d[order[k]];
            int src = order[k] * n;
            for (int i = 0; i < n; i++) z[i * n + k] = zt[src + i];
        }
        return z;
    }

    private static double[] merge(double[] diag, int lo, int n, int m, double[] q1, double[] q2, double rho, double sign,
                                  ForkJoinPool pool) {
        int n2 = n - m;
        double[] d = new double[n], z = new double[n], q = new double[n * n];
        byte[] type = new byte[n];
        double half = Math.sqrt(0.5);
        for (int j = 0; j < m; j++) {
            d[j] = diag[lo + j];
            z[j] = q1[(m - 1) * m + j] * half;
            type[j] = FIRST;
        }
        for (int j = 0; j < n2; j++) {
            d[m + j] = diag[lo + m + j];
            z[m + j] = sign * q2[j] * half;
            type[m + j] = SECOND;
        }
        for (int i = 0; i < m; i++) System.arraycopy(q1, i * m, q, i * n, m);
        for (int i = 0; i < n2; i++) System.arraycopy(q2, i * n2, q, (m + i) * n + m, n2);

        // Both halves are sorted: merge them (ties: the first half first).
        int[] order = new int[n];
        for (int t = 0, a = 0, b = m; t < n; t++) order[t] = b == n || (a < m && d[a] <= d[b]) ? a++ : b++;
        double dmax = 0;
        for (double v : d) dmax = Math.max(dmax, Math.abs(v));
        double tol = 8 * EPS * Math.max(dmax, rho);

        int[] kept = new int[n], deflated = new int[n];
        int k = 0, nd = 0, prev = -1;
        for (int t = 0; t < n; t++) {
            int c = order[t];
            if (rho * Math.abs(z[c]) <= tol) {
                deflated[nd++] = c;
                continue;
            }
            if (prev < 0) {
                prev = c;
                continue;
            }
            double r = Householder.hypot(z[c], z[prev]), cs = z[c] / r, sn = -z[prev] / r, gap = d[c] - d[prev];
            if (Math.abs(gap * cs * sn) <= tol) {
                // Rotate so that z[prev] vanishes; the coupling left, |gap·c·s|, is below the tolerance.
                z[c] = r;
                z[prev] = 0.0;
                for (int row = 0; row < n; row++) {
                    double x = q[row * n + prev], y = q[row * n + c];
                    q[row * n + prev] = cs * x + sn * y;
                    q[row * n + c] = cs * y - sn * x;
                }
                double dp = d[prev] * cs * cs + d[c] * sn * sn;
                d[c] = d[prev] * sn * sn + d[c] * cs * cs;
                d[prev] = dp;
                if (type[prev] != type[c]) type[c] = BOTH;
                deflated[nd++] = prev;
            } else {
                kept[k++] = prev;
            }
            prev = c;
        }
        if (prev >= 0) kept[k++] = prev;

        double[] values = new double[n];
        double[][] vectorsOfKept = k == 0 ? null : secular(d, z, q, type, kept, k, n, m, rho, values, pool);
        // Every pair ascending, then row by row (each row of the products and of q read once): column col is
        // root p, or deflated column deflated[p − k] of q.
        int[] from = SecularEquation.ascending(values, k, d, deflated, nd);
        for (int col = 0; col < n; col++) diag[lo + col] = values[from[col]];
        double[] out = new double[n * n];
        for (int i = 0; i < n; i++) {
            double[] vectors = k == 0 ? null : vectorsOfKept[i < m ? 0 : 1];
            int row = (i < m ? i : i - m) * k;
            for (int col = 0; col < n; col++) {
                int p = from[col];
                out[i * n + col] = p < k ? vectors[row + p] : q[i * n + deflated[p - k]];
            }
        }
        return out;
    }

    /**
     * The k roots of the secular equation of the kept columns into values[0 .. k), and their eigenvectors
     * Q·U as {rows of the first block (m × k), rows of the second ((n − m) × k)}.
     */
    private static double[][] secular(double[] d, double[] z, double[] q, byte[] type, int[] kept, int k, int n, int m,
                                      double rho, double[] values, ForkJoinPool pool) {
        double[] dk = new double[k], zk = new double[k];
        for (int i = 0; i < k; i++) {
            dk[i] = d[kept[i]];
            zk[i] = z[kept[i]];
        }
        SecularEquation roots = SecularEquation.solve(dk, zk, rho, pool);
        for (int j = 0; j < k; j++) values[j] = roots.root(j);
        double[] zh = roots.lowner(zk, pool);
        // Eigenvector j of D + ρẑẑᵀ: ẑ_i / (d_i − λ_j), normalised, stored as row j of u.
        double[] u = new double[k * k];
        SecularEquation.forEach(k, (long) k * k * 8, pool, j -> {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double v = zh[i] / roots.delta(i, j);
                u[j * k + i] = v;
                s += v * v;
            }
            double inv = 1.0 / Math.sqrt(s);
            for (int i = 0; i < k; i++) u[j * k + i] *= inv;
        });

        // Q·U by blocks: the first block's rows meet the FIRST and BOTH columns, the second's BOTH and SECOND.
        int[] grouped = new int[k], columns = new int[k];
        int g = 0;
        for (byte want = FIRST; want <= SECOND; want++) for (int i = 0; i < k; i++) if (type[kept[i]] == want) grouped[g++] = i;
        for (int t = 0; t < k; t++) columns[t] = kept[grouped[t]];
        int inFirst = 0, inSecond = 0;
        for (int i = 0; i < k; i++) {
            if (type[kept[i]] != SECOND) inFirst++;
            if (type[kept[i]] != FIRST) inSecond++;
        }
        int from = k - inSecond;
        double[] top = SecularEquation.product(q, n, 0, m, columns, grouped, inFirst, u, k, pool);
        double[] bottom = SecularEquation.product(q, n, m, n - m,
                java.util.Arrays.copyOfRange(columns, from, k), java.util.Arrays.copyOfRange(grouped, from, k), inSecond, u, k, pool);
        return new double[][] {top, bottom};
    }
}
