package dev.repsim.metrics.stats;

import dev.repsim.linalg.Matrix;

/**
 * Statistics of each representation around its centroid x̄ (the mean row), compared as absolute
 * differences (Klabunde et al. 2023's survey; ReSi): {@code magnitude-difference}
 * |‖x̄‖ − ‖ȳ‖| and {@code concentricity-difference} |mean cos(xᵢ, x̄) − mean cos(yᵢ, ȳ)|. O(n·d), no
 * products; widths may differ. Both are invariant under orthogonal maps; concentricity also under
 * isotropic scaling; neither under translation (they describe where the data sit).
 */
public final class Centroid {
    private Centroid() {}

    /** |‖x̄‖ − ‖ȳ‖| from the column means. */
    public static double magnitudeDifference(double[] meanX, double[] meanY) {
        return Math.abs(norm(meanX) - norm(meanY));
    }

    public static double concentricityDifference(Matrix x, Matrix y) {
        return Math.abs(concentricity(x, "X") - concentricity(y, "Y"));
    }

    /** mean over rows of cos(xᵢ, x̄). */
    static double concentricity(Matrix x, String side) {
        double[] mean = x.columnMeans();
        double norm = norm(mean);
        if (!(norm > 0)) throw new ArithmeticException("concentricity is undefined: the mean row of " + side + " is zero");
        int d = x.cols();
        double sum = 0;
        for (int i = 0; i < x.rows(); i++) {
            double dot = 0, sq = 0;
            for (int j = 0; j < d; j++) {
                double v = x.get(i, j);
                dot += v * mean[j];
                sq += v * v;
            }
            if (!(sq > 0)) throw new ArithmeticException("concentricity is undefined: row " + i + " of " + side + " is zero");
            sum += dot / (Math.sqrt(sq) * norm);
        }
        return sum / x.rows();
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double a : v) s += a * a;
        return Math.sqrt(s);
    }
}
