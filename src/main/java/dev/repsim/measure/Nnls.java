package dev.repsim.measure;

/**
 * Non-negative least squares for the few terms of a cost model: min ‖A·x − b‖ subject to x ≥ 0.
 * With at most {@link #MAX_TERMS} columns every support set can be tried: the NNLS optimum is the
 * unconstrained least-squares solution on its own support (the KKT conditions), so the best feasible
 * subset solution is exactly the optimum, without the tolerances of an active-set iteration. Columns
 * are scaled to unit norm first: work terms differ by twelve orders of magnitude.
 */
public final class Nnls {
    private Nnls() {}

    public static final int MAX_TERMS = 6;

    /** Relative size under which a column is taken as dependent on the ones before it. */
    private static final double RANK_TOL = 1e-10;

    /** The non-negative coefficients; a column no subset can use gets 0. */
    public static double[] solve(double[][] a, double[] b) {
        int m = a.length, k = a[0].length;
        if (k > MAX_TERMS) throw new IllegalArgumentException("at most " + MAX_TERMS + " terms, got " + k);
        double[] scale = new double[k];
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (double[] row : a) s += row[j] * row[j];
            scale[j] = s > 0 ? Math.sqrt(s) : 1;
        }
        double[] best = new double[k];
        double bestRes = residual(a, b, best);
        for (int mask = 1; mask < (1 << k); mask++) {
            int size = Integer.bitCount(mask);
            if (size > m) continue;
            int[] cols = new int[size];
            for (int j = 0, c = 0; j < k; j++) if ((mask & (1 << j)) != 0) cols[c++] = j;
            double[][] sub = new double[m][size];
            for (int i = 0; i < m; i++) for (int c = 0; c < size; c++) sub[i][c] = a[i][cols[c]] / scale[cols[c]];
            double[] y = leastSquares(sub, b);
            if (y == null) continue;
            double[] x = new double[k];
            boolean feasible = true;
            for (int c = 0; c < size; c++) {
                if (!(y[c] >= 0)) feasible = false;
                x[cols[c]] = y[c] / scale[cols[c]];
            }
            if (!feasible) continue;
            double res = residual(a, b, x);
            if (res < bestRes) {
                bestRes = res;
                best = x;
            }
        }
        return best;
    }

    static double residual(double[][] a, double[] b, double[] x) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double r = -b[i];
            for (int j = 0; j < x.length; j++) r += a[i][j] * x[j];
            s += r * r;
        }
        return s;
    }

    /** Householder QR least squares; null when the columns are (numerically) dependent. */
    static double[] leastSquares(double[][] a0, double[] b0) {
        int m = a0.length, k = a0[0].length;
        double[][] a = new double[m][];
        for (int i = 0; i < m; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int j = 0; j < k; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) norm += a[i][j] * a[i][j];
            norm = Math.sqrt(norm);
            // columns have unit norm, so an absolute tolerance is a relative one
            if (norm < RANK_TOL) return null;
            double alpha = a[j][j] > 0 ? -norm : norm;
            double[] v = new double[m];
            for (int i = j; i < m; i++) v[i] = a[i][j];
            v[j] -= alpha;
            double vv = 0;
            for (int i = j; i < m; i++) vv += v[i] * v[i];
            if (vv == 0) continue;
            for (int c = j; c < k; c++) {
                double dot = 0;
                for (int i = j; i < m; i++) dot += v[i] * a[i][c];
                double f = 2 * dot / vv;
                for (int i = j; i < m; i++) a[i][c] -= f * v[i];
            }
            double dot = 0;
            for (int i = j; i < m; i++) dot += v[i] * b[i];
            double f = 2 * dot / vv;
            for (int i = j; i < m; i++) b[i] -= f * v[i];
        }
        double[] x = new double[k];
        for (int j = k - 1; j >= 0; j--) {
            double s = b[j];
            for (int c = j + 1; c < k; c++) s -= a[j][c] * x[c];
            if (Math.abs(a[j][j]) < RANK_TOL) return null;
            x[j] = s / a[j][j];
        }
        return x;
    }
}
