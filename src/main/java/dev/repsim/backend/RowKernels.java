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
}
