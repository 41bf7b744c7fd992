package dev.repsim.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise Vector API loops over stretches of rows for the factorisations ({@link SymmetricEigensolver},
 * {@link SvdSolver}). Every output element is one fixed expression of its inputs (no reduction across
 * lanes; the scalar tails repeat the vector expression, fused multiply-adds as {@link Math#fma}), so the
 * results are the same bits at every vector width.
 */
final class RowKernels {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private RowKernels() {}

    /** y[yo + j] += alpha · x[xo + j], j &lt; n, each by one fused multiply-add. */
    static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int n) {
        int j = 0;
        DoubleVector va = DoubleVector.broadcast(S, alpha);
        for (int end = S.loopBound(n); j < end; j += L) {
            va.fma(DoubleVector.fromArray(S, x, xo + j), DoubleVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] = Math.fma(alpha, x[xo + j], y[yo + j]);
    }

    /**
     * y[yo + j] += Σ_r coef[co + r]·t[to + r·width + j] over the rows r &lt; rows of {@code t}, j &lt; n: the same
     * fused multiply-adds in the same order (increasing r) as one {@link #axpy} per row, four rows per
     * pass so that y is loaded and stored once per four rows (A v of a symmetric A as a sum of rows; a
     * block of reflectors applied row by row).
     */
    static void rowsTimes(double[] coef, int co, double[] t, int to, int width, int rows, double[] y, int yo, int n) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int a0 = to + r * width, a1 = a0 + width, a2 = a1 + width, a3 = a2 + width;
            double x0 = coef[co + r], x1 = coef[co + r + 1], x2 = coef[co + r + 2], x3 = coef[co + r + 3];
            DoubleVector b0 = DoubleVector.broadcast(S, x0), b1 = DoubleVector.broadcast(S, x1);
            DoubleVector b2 = DoubleVector.broadcast(S, x2), b3 = DoubleVector.broadcast(S, x3);
            int j = 0;
            for (int end = S.loopBound(n); j < end; j += L) {
                DoubleVector acc = b0.fma(DoubleVector.fromArray(S, t, a0 + j), DoubleVector.fromArray(S, y, yo + j));
                acc = b1.fma(DoubleVector.fromArray(S, t, a1 + j), acc);
                acc = b2.fma(DoubleVector.fromArray(S, t, a2 + j), acc);
                b3.fma(DoubleVector.fromArray(S, t, a3 + j), acc).intoArray(y, yo + j);
            }
            for (; j < n; j++) {
                double acc = Math.fma(x0, t[a0 + j], y[yo + j]);
                acc = Math.fma(x1, t[a1 + j], acc);
                acc = Math.fma(x2, t[a2 + j], acc);
                y[yo + j] = Math.fma(x3, t[a3 + j], acc);
            }
        }
        for (; r < rows; r++) axpy(coef[co + r], t, to + r * width, y, yo, n);
    }

    /**
     * The symmetric rank-2 update of one row, a[ao + j] −= vi·w[o + j] + wi·v[o + j], then
     * y[o + j] += ui · a[ao + j] (the new value), j &lt; n. The update term is symmetric in (i, j) bit for
     * bit (two products and one addition, which commutes), so a symmetric matrix stays exactly symmetric.
     */
    static void rank2Accumulate(double[] a, int ao, double[] v, double[] w, int o, int n, double vi, double wi,
                                double ui, double[] y) {
        int j = 0;
        DoubleVector bv = DoubleVector.broadcast(S, vi), bw = DoubleVector.broadcast(S, wi), bu = DoubleVector.broadcast(S, ui);
        for (int end = S.loopBound(n); j < end; j += L) {
            DoubleVector t = DoubleVector.fromArray(S, w, o + j).mul(bv).add(DoubleVector.fromArray(S, v, o + j).mul(bw));
            DoubleVector x = DoubleVector.fromArray(S, a, ao + j).sub(t);
            x.intoArray(a, ao + j);
            bu.fma(x, DoubleVector.fromArray(S, y, o + j)).intoArray(y, o + j);
        }
        for (; j < n; j++) {
            double x = a[ao + j] - (w[o + j] * vi + v[o + j] * wi);
            a[ao + j] = x;
            y[o + j] = Math.fma(ui, x, y[o + j]);
        }
    }

    /** a[ao + j] −= vi·w[o + j] + wi·v[o + j], j &lt; n (as {@link #rank2Accumulate} without the accumulation). */
    static void rank2(double[] a, int ao, double[] v, double[] w, int o, int n, double vi, double wi) {
        int j = 0;
        DoubleVector bv = DoubleVector.broadcast(S, vi), bw = DoubleVector.broadcast(S, wi);
        for (int end = S.loopBound(n); j < end; j += L) {
            DoubleVector t = DoubleVector.fromArray(S, w, o + j).mul(bv).add(DoubleVector.fromArray(S, v, o + j).mul(bw));
            DoubleVector.fromArray(S, a, ao + j).sub(t).intoArray(a, ao + j);
        }
        for (; j < n; j++) a[ao + j] = a[ao + j] - (w[o + j] * vi + v[o + j] * wi);
    }

    /**
     * The plane rotation (x, y) ← (c·x − s·y, s·x + c·y) of the stretches x = t[xo + j], y = t[yo + j],
     * j &lt; n.
     */
    static void rotate(double[] t, int xo, int yo, int n, double c, double s) {
        int j = 0;
        DoubleVector bc = DoubleVector.broadcast(S, c), bs = DoubleVector.broadcast(S, s);
        for (int end = S.loopBound(n); j < end; j += L) {
            DoubleVector x = DoubleVector.fromArray(S, t, xo + j), y = DoubleVector.fromArray(S, t, yo + j);
            x.mul(bc).sub(y.mul(bs)).intoArray(t, xo + j);
            x.mul(bs).add(y.mul(bc)).intoArray(t, yo + j);
        }
        for (; j < n; j++) {
            double x = t[xo + j], y = t[yo + j];
            t[xo + j] = x * c - y * s;
            t[yo + j] = x * s + y * c;
        }
    }

    /**
     * The rotations r0 … r1−1 of {@link #rotate} applied in order to columns [c0, c0+n) of the rows of
     * {@code t} (rows of {@code width}), where each rotation shares a row with the one before: the row
     * {@code carried} (at first the rotation r0's), which is carried from one rotation to the next in
     * registers, so each rotation loads and stores one row instead of two. {@code other[k]} is rotation
     * k's other row, and the next rotation's carried one. Two orders, by {@code carriedFirst}:
     * <ul>
     * <li>false, a QL sweep (i, i+1), (i−1, i), …: the carried row is each rotation's second,
     *     other = first;</li>
     * <li>true, a bidiagonal QR sweep (k, k+1), (k+1, k+2), …: the carried row is each rotation's first,
     *     other = second. With u the carried row and w the other, u c − w s = w(−s) + u c and
     *     u s + w c = w c − u(−s) exactly, so this is the first order's arithmetic with s negated.</li>
     * </ul>
     * Four vectors of columns are taken at once, four independent chains that hide the latency of the
     * carried row. Every element gets the same operations as from {@link #rotate}, so the same bits.
     */
    static void rotateChain(double[] t, int width, int c0, int n, int[] other, int carried, boolean carriedFirst,
                            double[] cos, double[] sin, int r0, int r1) {
        double sign = carriedFirst ? -1.0 : 1.0;
        int j = 0;
        int carriedRow = carried * width + c0;
        for (int end = n - 4 * L; j <= end; j += 4 * L) {
            int o = carriedRow + j;
            DoubleVector y0 = DoubleVector.fromArray(S, t, o), y1 = DoubleVector.fromArray(S, t, o + L);
            DoubleVector y2 = DoubleVector.fromArray(S, t, o + 2 * L), y3 = DoubleVector.fromArray(S, t, o + 3 * L);
            for (int k = r0; k < r1; k++) {
                DoubleVector bc = DoubleVector.broadcast(S, cos[k]), bs = DoubleVector.broadcast(S, sign * sin[k]);
                int xo = other[k] * width + c0 + j;
                DoubleVector x0 = DoubleVector.fromArray(S, t, xo), x1 = DoubleVector.fromArray(S, t, xo + L);
                DoubleVector x2 = DoubleVector.fromArray(S, t, xo + 2 * L), x3 = DoubleVector.fromArray(S, t, xo + 3 * L);
                x0.mul(bs).add(y0.mul(bc)).intoArray(t, o);
                x1.mul(bs).add(y1.mul(bc)).intoArray(t, o + L);
                x2.mul(bs).add(y2.mul(bc)).intoArray(t, o + 2 * L);
                x3.mul(bs).add(y3.mul(bc)).intoArray(t, o + 3 * L);
                y0 = x0.mul(bc).sub(y0.mul(bs));
                y1 = x1.mul(bc).sub(y1.mul(bs));
                y2 = x2.mul(bc).sub(y2.mul(bs));
                y3 = x3.mul(bc).sub(y3.mul(bs));
                o = xo;
            }
            y0.intoArray(t, o);
            y1.intoArray(t, o + L);
            y2.intoArray(t, o + 2 * L);
            y3.intoArray(t, o + 3 * L);
        }
        for (int end = n - L; j <= end; j += L) {
            int o = carriedRow + j;
            DoubleVector y = DoubleVector.fromArray(S, t, o);
            for (int k = r0; k < r1; k++) {
                DoubleVector bc = DoubleVector.broadcast(S, cos[k]), bs = DoubleVector.broadcast(S, sign * sin[k]);
                int xo = other[k] * width + c0 + j;
                DoubleVector x = DoubleVector.fromArray(S, t, xo);
                x.mul(bs).add(y.mul(bc)).intoArray(t, o);
                y = x.mul(bc).sub(y.mul(bs));
                o = xo;
            }
            y.intoArray(t, o);
        }
        for (; j < n; j++) {
            int o = carriedRow + j;
            double y = t[o];
            for (int k = r0; k < r1; k++) {
                double c = cos[k], s = sign * sin[k];
                int xo = other[k] * width + c0 + j;
                double x = t[xo];
                t[o] = x * s + y * c;
                y = x * c - y * s;
                o = xo;
            }
            t[o] = y;
        }
    }
}
