package dev.repsim.measure;

/**
 * What one cell's samples say: the median of all samples, a 95 % confidence interval from the forks, the
 * coefficient of variation, and how many samples and forks it rests on.
 *
 * <p>The interval is Student's t on the logarithms of the fork medians (F forks, F − 1 degrees of
 * freedom), exp(m̄ ± t·s/√F): forks are the independent units (the iterations of one fork share its JIT
 * decisions, heap layout and machine state, and on these hosts forks spread more than iterations do), so
 * an interval built from iterations, or a bootstrap over two to five forks, claims far more than 95 %
 * (a percentile bootstrap over 2 forks covered about half the time). One fork gives no interval.
 *
 * @param ciLow  lower end of the 95 % CI (NaN with fewer than 2 forks: no interval can be claimed)
 * @param ciHigh upper end
 * @param cv     coefficient of variation of the pooled samples (NaN with fewer than 2 samples)
 */
public record Summary(double median, double ciLow, double ciHigh, double cv, int count, int forks) {

    public static Summary of(Samples s) {
        double lo = Double.NaN, hi = Double.NaN;
        if (s.forkCount() >= 2) {
            double[] l = s.logForkMedians();
            double half = StudentT.quantile975(l.length - 1) * Math.sqrt(variance(l) / l.length);
            lo = Math.exp(mean(l) - half);
            hi = Math.exp(mean(l) + half);
        }
        return new Summary(s.median(), lo, hi, s.cv(), s.count(), s.forkCount());
    }

    public boolean hasInterval() {
        return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    /** Sample variance (n − 1). */
    static double variance(double[] v) {
        double m = mean(v), ss = 0;
        for (double x : v) ss += (x - m) * (x - m);
        return ss / (v.length - 1);
    }
}
