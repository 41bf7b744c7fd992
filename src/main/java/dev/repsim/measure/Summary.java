package dev.repsim.measure;

/**
 * What one cell's samples say: the median with a percentile-bootstrap 95 % confidence interval of the
 * median, the coefficient of variation, and how many samples and forks it rests on.
 *
 * @param ciLow  lower end of the 95 % CI of the median (NaN with fewer than 2 samples: no interval can be claimed)
 * @param ciHigh upper end
 * @param cv     coefficient of variation of the pooled samples (NaN with fewer than 2 samples)
 */
public record Summary(double median, double ciLow, double ciHigh, double cv, int count, int forks) {

    public static Summary of(Samples s, long seed) {
        return of(s, new Bootstrap(seed, Bootstrap.RESAMPLES));
    }

    static Summary of(Samples s, Bootstrap b) {
        double lo = Double.NaN, hi = Double.NaN;
        if (s.count() >= 2) {
            double[] medians = new double[b.resamples()];
            for (int i = 0; i < medians.length; i++) medians[i] = b.resampledMedian(s);
            double[] ci = Bootstrap.interval95(medians);
            lo = ci[0];
            hi = ci[1];
        }
        return new Summary(s.median(), lo, hi, s.cv(), s.count(), s.forkCount());
    }

    public boolean hasInterval() {
        return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
    }
}
