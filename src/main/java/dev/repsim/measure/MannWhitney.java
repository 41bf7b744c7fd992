package dev.repsim.measure;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum) by its normal approximation, with the tie correction of
 * the variance and a continuity correction: distribution-free, so one slow outlier iteration cannot decide it.
 * Written here rather than taken from commons-math3, whose test has no tie correction (benchmark scores
 * repeat when a timer's resolution is coarse) and which is a test-only dependency.
 */
public final class MannWhitney {
    private MannWhitney() {}

    /** p-value of "a and b come from the same distribution"; 1 when every value is tied. */
    public static double pValue(double[] a, double[] b) {
        int n1 = a.length, n2 = b.length, n = n1 + n2;
        if (n1 == 0 || n2 == 0) throw new IllegalArgumentException("empty sample");
        double[][] all = new double[n][];
        for (int i = 0; i < n1; i++) all[i] = new double[] {a[i], 0};
        for (int i = 0; i < n2; i++) all[n1 + i] = new double[] {b[i], 1};
        Arrays.sort(all, Comparator.comparingDouble(v -> v[0]));
        double rankSumA = 0, tieTerm = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && all[j][0] == all[i][0]) j++;
            double midRank = (i + 1 + j) / 2.0; // ranks i+1 .. j share their mean
            for (int k = i; k < j; k++) if (all[k][1] == 0) rankSumA += midRank;
            double t = j - i;
            tieTerm += t * t * t - t;
            i = j;
        }
        double u = rankSumA - n1 * (n1 + 1) / 2.0;
        double mean = n1 * (double) n2 / 2;
        double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        if (!(var > 0)) return 1;
        double z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(var);
        return Math.min(1, erfc(z / Math.sqrt(2)));
    }

    /** The smallest p-value samples of these sizes can reach (complete separation, no ties). */
    public static double smallestPValue(int n1, int n2) {
        double[] a = new double[n1], b = new double[n2];
        for (int i = 0; i < n1; i++) a[i] = i;
        for (int i = 0; i < n2; i++) b[i] = n1 + i;
        return pValue(a, b);
    }

    /** Complementary error function, Chebyshev fit with fractional error below 1.2e-7 (Press et al., erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
