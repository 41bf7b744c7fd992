package dev.repsim.measure;

/** Student's t distribution: the two-sided 95 % quantile, from the standard table, and two-sided p-values. */
final class StudentT {
    private StudentT() {}

    /** P(|T| ≥ |t|) with {@code df} degrees of freedom (smile's distribution, already on the class path for UMAP). */
    static double twoSidedP(double t, int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
        return Math.min(1, 2 * new smile.stat.distribution.TDistribution(df).cdf(-Math.abs(t)));
    }

    private static final double[] Q975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    /**
     * The 0.975 quantile with {@code df} degrees of freedom: the table to 30, then the value at the lower
     * end of each bracket (30, 40, 60, 120), which errs on the wide side.
     */
    static double quantile975(int df) {
        if (df < 1) throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
        if (df <= Q975.length) return Q975[df - 1];
        return df <= 40 ? 2.042 : df <= 60 ? 2.021 : df <= 120 ? 2.000 : 1.980;
    }
}
