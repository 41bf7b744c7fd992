package dev.repsim.linalg;

/**
 * The canonical summation order of {@link FixedOrderSums}, written out as the plain scalar loop its
 * definition describes (no vectors), for the tests' references of exact values: eight fma chains over
 * c mod 8, the fixed tree ((p0+p1)+(p2+p3))+((p4+p5)+(p6+p7)), then the tail by fma.
 */
public final class CanonicalReference {
    private CanonicalReference() {}

    /** Σ_c (x_ic − x_jc)² of two rows of a matrix, read element by element. */
    public static double squaredDistance(Matrix x, int i, int j) {
        int d = x.cols();
        double[] t = new double[d];
        for (int c = 0; c < d; c++) t[c] = x.get(i, c) - x.get(j, c);
        return sumOfSquares(t);
    }

    /** Σ_c x_ic² of a row. */
    public static double squaredNorm(Matrix x, int i) {
        double[] t = new double[x.cols()];
        for (int c = 0; c < t.length; c++) t[c] = x.get(i, c);
        return sumOfSquares(t);
    }

    /** Σ_c x_c·y_c in the canonical order. */
    public static double dot(double[] x, double[] y) {
        int body = x.length / 8 * 8;
        double[] p = new double[8];
        for (int c = 0; c < body; c++) p[c % 8] = Math.fma(x[c], y[c], p[c % 8]);
        double s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
        for (int c = body; c < x.length; c++) s = Math.fma(x[c], y[c], s);
        return s;
    }

    static double sumOfSquares(double[] t) {
        int body = t.length / 8 * 8;
        double[] p = new double[8];
        for (int c = 0; c < body; c++) p[c % 8] = Math.fma(t[c], t[c], p[c % 8]);
        double s = ((p[0] + p[1]) + (p[2] + p[3])) + ((p[4] + p[5]) + (p[6] + p[7]));
        for (int c = body; c < t.length; c++) s = Math.fma(t[c], t[c], s);
        return s;
    }
}
