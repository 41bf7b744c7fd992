package dev.repsim.metrics.subspace;

import dev.repsim.linalg.Assignment;
import dev.repsim.metrics.CrossCovariance;

/**
 * Neuron matching by Pearson correlation (Li et al. 2016, <i>Convergent learning</i>; ReSi): the
 * correlation of X's column i with Y's column j is C_ij = S_xy,ij / √(S_xx,ii S_yy,jj), from the
 * co-moments alone. {@code hard-correlation-match}: the mean of C over the one-to-one matching of
 * columns with the largest total correlation (equal widths; {@link Assignment}). {@code
 * soft-correlation-match}: ½(mean over X's columns of the best C with any Y column + the same from
 * Y's side). Invariant under translation, per-column positive scaling and permutation of columns,
 * not under rotations. A constant column has no correlation: an error names it.
 */
public final class CorrelationMatch {
    private CorrelationMatch() {}

    public static double hard(CrossCovariance c) {
        int d = c.dx();
        if (c.dy() != d) {
            throw new IllegalArgumentException("hard-correlation-match needs X and Y of equal widths: dx=" + d + ", dy=" + c.dy());
        }
        double[] corr = correlations(c, "hard-correlation-match");
        int[] match = Assignment.maximize(corr, d);
        double sum = 0;
        for (int i = 0; i < d; i++) sum += corr[i * d + match[i]];
        return sum / d;
    }

    public static double soft(CrossCovariance c) {
        int dx = c.dx(), dy = c.dy();
        double[] corr = correlations(c, "soft-correlation-match");
        double[] bestOfY = new double[dy];
        java.util.Arrays.fill(bestOfY, Double.NEGATIVE_INFINITY);
        double fromX = 0;
        for (int i = 0; i < dx; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < dy; j++) {
                double v = corr[i * dy + j];
                best = Math.max(best, v);
                bestOfY[j] = Math.max(bestOfY[j], v);
            }
            fromX += best;
        }
        double fromY = 0;
        for (double v : bestOfY) fromY += v;
        return 0.5 * (fromX / dx + fromY / dy);
    }

    /** C (dx×dy, row-major), clamped to [−1, 1] against rounding. */
    static double[] correlations(CrossCovariance c, String measure) {
        int dx = c.dx(), dy = c.dy();
        double[] sx = scales(c.sxx(), dx, c.meanX(), c.n(), measure, "X");
        double[] sy = scales(c.syy(), dy, c.meanY(), c.n(), measure, "Y");
        double[] xy = c.sxy();
        double[] corr = new double[dx * dy];
        for (int i = 0; i < dx; i++) {
            for (int j = 0; j < dy; j++) corr[i * dy + j] = Math.max(-1.0, Math.min(1.0, xy[i * dy + j] / (sx[i] * sy[j])));
        }
        return corr;
    }

    /**
     * √S_ii per column. A column counts as constant when its co-moment is within the rounding a
     * constant column leaves after centring: √(S_ii/n) ≤ n·ε·|μ_i| (the error bound of its summed mean).
     */
    private static double[] scales(double[] s, int d, double[] mean, long n, String measure, String side) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double v = s[i * d + i];
            if (!(Math.sqrt(v / n) > n * Math.ulp(1.0) * Math.abs(mean[i]))) {
                throw new IllegalArgumentException(measure + " is undefined: column " + i + " of " + side + " is constant (no correlation)");
            }
            out[i] = Math.sqrt(v);
        }
        return out;
    }
}
