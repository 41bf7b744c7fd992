package dev.repsim.backend;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * The SVD of an upper bidiagonal B = U Σ Vᵀ by divide and conquer (Jessup &amp; Sorensen 1994; Gu &amp;
 * Eisenstat 1995, the method of LAPACK's dbdsdc). A subproblem is r × (r + sqre), sqre ∈ {0, 1}. Cutting
 * it at row k leaves B₁ (rows above k, k × (k + 1)), the middle row (α = d_k in column k, β = e_k in column
 * k + 1) and B₂ (rows below, the rest). With B₁ = U₁ [Σ₁ 0] V₁ᵀ and B₂ = U₂ [Σ₂ (0)] V₂ᵀ solved,
 * <pre>
 *   diag(U₁, 1, U₂)ᵀ B diag(V₁, V₂) = M = [ z ; 0 D ]   (rows and columns permuted, d₀ = 0)
 * </pre>
 * where z = [α·(last row of V₁), β·(first row of V₂)] and column 0 is V₁'s null vector (rotated together
 * with V₂'s when sqre = 1, which leaves the merged null vector). MᵀM = D² + zzᵀ, so the singular values
 * are the square roots of the secular equation's roots with poles d_i² and ρ = 1 ({@link SecularEquation}),
 * and, with Löwner's ẑ, v_j ∝ (ẑ_i/(d_i² − σ_j²))_i and u_j = M v_j/σ_j ∝ (−1, (d_i ẑ_i/(d_i² − σ_j²))_{i≥1}):
 * both sets orthogonal to working precision. Before that the merge deflates, each step a perturbation of M
 * below tol = 8ε·max(|α|, |β|, max d):
 * <ul>
 * <li>z_i ≤ tol (i ≥ 1) leaves (d_i, the columns i) as a singular triplet;</li>
 * <li>d_i ≤ tol: a rotation of V's columns (0, i) moves z_i into z₀, leaving d_i·c with u_i unchanged;</li>
 * <li>two close d_i, d_j: one rotation of both U's and V's columns (i, j) zeroes one z entry
 *     (Golub &amp; Van Loan §8.4.3, as the tridiagonal merge);</li>
 * <li>z₀ is kept at least tol, so that the pole at 0 stays in the equation.</li>
 * </ul>
 * U and V are then the parents' columns times the small vectors, one level-3 product per block. When V is
 * not wanted, each subproblem keeps only the first and last rows of its V, the rows its parent's z reads:
 * that costs O(n²) instead of the n³ of the full V; U, which no merge reads, is formed only when wanted.
 * Orders up to {@value #LEAF} go to implicit QR ({@link SvdSolver#bidiagonalQr}). Every sum runs in a fixed
 * order and the roots are independent, so the result is the same bits at every thread count.
 */
final class BidiagonalDivideAndConquer {
    /** Rows at or below this are left to implicit QR. */
    static final int LEAF = 32;
    private static final double EPS = Math.ulp(1.0) / 2;
    /** Column types of the merged U and V: rows of the first block only, of both, of the second only; U's middle row. */
    private static final byte FIRST = 0, BOTH = 1, SECOND = 2, MIDDLE = 3;

    private BidiagonalDivideAndConquer() {}

    /**
     * A subproblem's SVD: s the r singular values ascending, u (r × r, row-major; null when not wanted) their
     * left vectors as columns, v (vRows × (r + sqre)) their right vectors as columns, the last column the
     * null vector when sqre = 1; vRows is every row, or two (the first and the last) when only those were kept.
     */
    record Svd(double[] s, double[] u, double[] v, int vRows) {}

    /**
     * The square upper bidiagonal with diagonal {@code d} and e[i] at (i, i + 1) (e[n − 1] is not read).
     * Without {@code wantU} no U is formed (the merges read only V's rows); with {@code fullV} false the
     * result keeps only V's first and last rows. The arrays are not changed.
     */
    static Svd solve(double[] d, double[] e, boolean wantU, boolean fullV, ForkJoinPool pool) {
        return solve(d, e, 0, d.length, 0, wantU, fullV, pool);
    }

    private static Svd solve(double[] d, double[] e, int lo, int r, int sqre, boolean wantU, boolean fullV, ForkJoinPool pool) {
        if (r <= LEAF) return leaf(d, e, lo, r, sqre, wantU, fullV);
        int k = r / 2, r2 = r - k - 1;
        Svd first = solve(d, e, lo, k, 1, wantU, fullV, pool);
        Svd second = solve(d, e, lo + k + 1, r2, sqre, wantU, fullV, pool);
        return merge(first, second, d[lo + k], e[lo + k], k, r2, sqre, wantU, fullV, pool);
    }

    /** Implicit QR on the small r × (r + sqre) bidiagonal at row lo, its rotations applied to identities. */
    private static Svd leaf(double[] dAll, double[] eAll, int lo, int r, int sqre, boolean wantU, boolean fullV) {
        int c = r + sqre;
        double[] d = new double[c], e = new double[c];
        System.arraycopy(dAll, lo, d, 0, r);
        System.arraycopy(eAll, lo, e, 0, r - 1 + sqre);
        double[] ut = wantU ? identity(r) : null, vt = identity(c);
        PlaneRotations left = new PlaneRotations(ut, r, 4 * r * r), right = new PlaneRotations(vt, c, 4 * c * c);
        // The extra column: right rotations chase e[r−1] up column r until that column is zero; vt's row r
        // is then the null vector, which the square QR below never touches.
        if (sqre == 1) SvdSolver.chaseColumn(d, e, 0, r, right);
        double[] ds = Arrays.copyOf(d, r), es = Arrays.copyOf(e, r);
        es[r - 1] = 0.0;
        SvdSolver.bidiagonalQr(ds, es, left, right);
        left.flush();
        right.flush();
        for (int t = 0; t < r; t++) {
            if (ds[t] < 0) {
                ds[t] = -ds[t];
                for (int j = 0; j < c; j++) vt[t * c + j] = -vt[t * c + j];
            }
        }
        Integer[] order = new Integer[r];
        for (int t = 0; t < r; t++) order[t] = t;
        Arrays.sort(order, (x, y) -> Double.compare(ds[x], ds[y]));
        double[] s = new double[r], u = wantU ? new double[r * r] : null, v = new double[c * c];
        for (int t = 0; t < c; t++) {
            int src = t < r ? order[t] : r;
            if (t < r) {
                s[t] = ds[src];
                if (wantU) for (int i = 0; i < r; i++) u[i * r + t] = ut[src * r + i];
            }
            for (int i = 0; i < c; i++) v[i * c + t] = vt[src * c + i];
        }
        return fullV ? new Svd(s, u, v, c) : new Svd(s, u, ends(v, c, c), 2);
    }

    /** The first and last rows of a rows × cols matrix. */
    private static double[] ends(double[] v, int rows, int cols) {
        double[] out = new double[2 * cols];
        System.arraycopy(v, 0, out, 0, cols);
        System.arraycopy(v, (rows - 1) * cols, out, cols, cols);
        return out;
    }

    private static double[] identity(int n) {
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) a[i * n + i] = 1.0;
        return a;
    }

    private static Svd merge(Svd p1, Svd p2, double alpha, double beta, int k, int r2, int sqre, boolean wantU,
                             boolean fullV, ForkJoinPool pool) {
        int r = k + 1 + r2, c = r + sqre, c1 = k + 1, c2 = r2 + sqre;
        int rows1 = p1.vRows(), rows2 = p2.vRows(), rowsV = rows1 + rows2;
        double scale = Math.max(Math.abs(alpha), Math.abs(beta));
        for (double v : p1.s()) scale = Math.max(scale, v);
        for (double v : p2.s()) scale = Math.max(scale, v);
        if (scale == 0) scale = 1; // all zero: every z deflates and the values stay 0
        double a = alpha / scale, b = beta / scale;

        // M's index i: 0 the middle row / V₁'s null vector, 1 … k child 1's, k+1 … r−1 child 2's.
        double[] d = new double[r], z = new double[r];
        byte[] typeU = new byte[r], typeV = new byte[r];
        double[] ub = wantU ? new double[r * r] : null, vb = new double[rowsV * c];
        if (wantU) ub[k * r] = 1.0;
        typeU[0] = MIDDLE;
        typeV[0] = FIRST;
        double[] u1 = p1.u(), v1 = p1.v(), u2 = p2.u(), v2 = p2.v();
        z[0] = a * v1[(rows1 - 1) * c1 + k];
        for (int i = 0; i < k; i++) {
            int col = 1 + i;
            d[col] = p1.s()[i] / scale;
            z[col] = a * v1[(rows1 - 1) * c1 + i];
            typeU[col] = typeV[col] = FIRST;
        }
        for (int i = 0; i < r2; i++) {
            int col = k + 1 + i;
            d[col] = p2.s()[i] / scale;
            z[col] = b * v2[i];
            typeU[col] = typeV[col] = SECOND;
        }
        // Row by row: columns 1 … k of Ū are U₁'s, k+1 … of U₂'s; column 0 of V̄ is V₁'s null vector (its
        // last column), 1 … k V₁'s others, k+1 … V₂'s (its null vector, when sqre = 1, last).
        if (wantU) {
            for (int row = 0; row < k; row++) System.arraycopy(u1, row * k, ub, row * r + 1, k);
            for (int row = 0; row < r2; row++) System.arraycopy(u2, row * r2, ub, (k + 1 + row) * r + k + 1, r2);
        }
        for (int row = 0; row < rows1; row++) {
            vb[row * c] = v1[row * c1 + k];
            System.arraycopy(v1, row * c1, vb, row * c + 1, k);
        }
        for (int row = 0; row < rows2; row++) System.arraycopy(v2, row * c2, vb, (rows1 + row) * c + k + 1, c2);
        if (sqre == 1) {
            // V₂'s null vector has only its z entry: rotate it into column 0; what is left is B's null vector.
            double zx = b * v2[r2], h = Householder.hypot(z[0], zx);
            if (h != 0) {
                rotate(vb, rowsV, c, 0, r, z[0] / h, zx / h);
                z[0] = h;
                typeV[0] = BOTH;
            }
        }

        double tol = 8 * EPS; // of the scaled M, whose largest entry is 1
        Integer[] byValue = new Integer[r - 1];
        for (int i = 1; i < r; i++) byValue[i - 1] = i;
        Arrays.sort(byValue, (x, y) -> Double.compare(d[x], d[y]));
        int[] kept = new int[r], deflated = new int[r];
        int nk = 1, nd = 0, prev = -1;
        kept[0] = 0;
        for (int i : byValue) {
            if (Math.abs(z[i]) <= tol) {
                deflated[nd++] = i;
            } else if (d[i] <= tol) {
                // Next to the pole at 0: move z_i into z₀ (c ≥ 0); row i keeps c·d_i, and s·d_i ≤ tol is dropped.
                double h = Math.copySign(Householder.hypot(z[0], z[i]), z[0]), cs = z[0] / h, sn = z[i] / h;
                rotate(vb, rowsV, c, 0, i, cs, sn);
                z[0] = h;
                z[i] = 0.0;
                d[i] *= cs;
                if (typeV[0] != typeV[i]) typeV[0] = BOTH;
                deflated[nd++] = i;
            } else if (prev < 0) {
                prev = i;
            } else {
                double h = Householder.hypot(z[i], z[prev]), cs = z[i] / h, sn = -z[prev] / h, gap = d[i] - d[prev];
                if (Math.abs(gap * cs * sn) <= tol) {
                    // Rotate both sides so that z[prev] vanishes; the coupling left, |gap·c·s|, is below tol.
                    z[i] = h;
                    z[prev] = 0.0;
                    if (wantU) rotate(ub, r, r, prev, i, cs, sn);
                    rotate(vb, rowsV, c, prev, i, cs, sn);
                    double dp = d[prev] * cs * cs + d[i] * sn * sn;
                    d[i] = d[prev] * sn * sn + d[i] * cs * cs;
                    d[prev] = dp;
                    if (typeU[prev] != typeU[i]) typeU[i] = typeV[i] = BOTH;
                    deflated[nd++] = prev;
                } else {
                    kept[nk++] = prev;
                }
                prev = i;
            }
        }
        if (prev >= 0) kept[nk++] = prev;

        // The kept problem: poles d_i² (d₀ = 0 first), roots σ_j², vectors from Löwner's ẑ.
        double[] values = new double[r], uh, vh;
        if (nk == 1) {
            values[0] = Math.abs(z[0]);
            uh = new double[] {1.0};
            vh = new double[] {z[0] < 0 ? -1.0 : 1.0};
        } else {
            if (Math.abs(z[0]) < tol) z[0] = Math.copySign(tol, z[0]);
            double[] poles = new double[nk], zk = new double[nk], dk = new double[nk];
            for (int j = 0; j < nk; j++) {
                dk[j] = d[kept[j]];
                poles[j] = dk[j] * dk[j];
                zk[j] = z[kept[j]];
            }
            SecularEquation roots = SecularEquation.solve(poles, zk, 1.0, pool);
            double[] zh = roots.lowner(zk, pool);
            for (int j = 0; j < nk; j++) values[j] = Math.sqrt(roots.root(j));
            uh = new double[nk * nk];
            vh = new double[nk * nk];
            int m = nk;
            // Vector j as row j of uh and of vh.
            SecularEquation.forEach(nk, (long) nk * nk * 12, pool, j -> {
                double su = 1.0, sv = 0.0;
                int row = j * m;
                uh[row] = -1.0;
                for (int i = 0; i < m; i++) {
                    double t = zh[i] / roots.delta(i, j);
                    vh[row + i] = t;
                    sv += t * t;
                    if (i > 0) {
                        double w = dk[i] * t;
                        uh[row + i] = w;
                        su += w * w;
                    }
                }
                double iu = 1.0 / Math.sqrt(su), iv = 1.0 / Math.sqrt(sv);
                for (int i = 0; i < m; i++) {
                    uh[row + i] *= iu;
                    vh[row + i] *= iv;
                }
            });
        }

        // Parents' columns times the small vectors, by blocks of rows.
        double[] uTop = wantU ? blockProduct(ub, r, 0, k, kept, nk, typeU, FIRST, uh, pool) : null;
        double[] uBottom = wantU ? blockProduct(ub, r, k + 1, r2, kept, nk, typeU, SECOND, uh, pool) : null;
        double[] vTop = blockProduct(vb, c, 0, rows1, kept, nk, typeV, FIRST, vh, pool);
        double[] vBottom = blockProduct(vb, c, rows1, rows2, kept, nk, typeV, SECOND, vh, pool);

        // Every triplet ascending, then row by row (each row of the products, Ū and V̄ read once): column col
        // is root p, or deflated column deflated[p − nk] of Ū and V̄; V's last column, when sqre = 1, V̄'s.
        int[] from = SecularEquation.ascending(values, nk, d, deflated, nd);
        double[] s = new double[r];
        for (int col = 0; col < r; col++) s[col] = values[from[col]] * scale;
        double[] u = null, v = new double[rowsV * c];
        if (wantU) {
            u = new double[r * r];
            for (int i = 0; i < r; i++) {
                // Row k of Ū·Û is Û's row 0 (the middle row meets only column 0 of Ū).
                double[] kept1 = i < k ? uTop : uBottom;
                int row = (i < k ? i : i - k - 1) * nk;
                for (int col = 0; col < r; col++) {
                    int p = from[col];
                    u[i * r + col] = p >= nk ? ub[i * r + deflated[p - nk]] : i == k ? uh[p * nk] : kept1[row + p];
                }
            }
        }
        for (int i = 0; i < rowsV; i++) {
            double[] kept1 = i < rows1 ? vTop : vBottom;
            int row = (i < rows1 ? i : i - rows1) * nk;
            for (int col = 0; col < r; col++) {
                int p = from[col];
                v[i * c + col] = p >= nk ? vb[i * c + deflated[p - nk]] : kept1[row + p];
            }
            if (sqre == 1) v[i * c + r] = vb[i * c + r];
        }
        return fullV ? new Svd(s, u, v, rowsV) : new Svd(s, u, ends(v, rowsV, c), 2);
    }

    /** Columns a, b of the row-major rows × cols q: a ← c·a + s·b, b ← c·b − s·a. */
    private static void rotate(double[] q, int rows, int cols, int a, int b, double c, double s) {
        for (int row = 0; row < rows; row++) {
            double x = q[row * cols + a], y = q[row * cols + b];
            q[row * cols + a] = c * x + s * y;
            q[row * cols + b] = c * y - s * x;
        }
    }

    /**
     * Rows [r0, r0 + rows) of q times the small vectors: only the kept columns whose type is {@code block}
     * or BOTH have nonzero rows there.
     */
    private static double[] blockProduct(double[] q, int stride, int r0, int rows, int[] kept, int nk, byte[] type,
                                         byte block, double[] small, ForkJoinPool pool) {
        int[] columns = new int[nk], smallRows = new int[nk];
        int width = 0;
        for (int j = 0; j < nk; j++) {
            byte t = type[kept[j]];
            if (t == block || t == BOTH) {
                columns[width] = kept[j];
                smallRows[width++] = j;
            }
        }
        return SecularEquation.product(q, stride, r0, rows, columns, smallRows, width, small, nk, pool);
    }
}
