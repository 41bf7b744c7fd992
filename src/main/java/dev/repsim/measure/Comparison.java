package dev.repsim.measure;

/**
 * Two cells compared: the ratio of their medians with a bootstrap 95 % CI, a Mann-Whitney p-value, and a
 * verdict that names a winner only when both agree the difference is real (p &lt; {@link #ALPHA} and the
 * ratio's CI excludes 1); otherwise "no significant difference", whatever the medians say.
 *
 * @param ratio    median(a) / median(b)
 * @param ratioLow lower end of the bootstrap 95 % CI of the ratio (NaN when either side has fewer than 2 samples)
 * @param p        two-sided Mann-Whitney U p-value on the pooled samples
 */
public record Comparison(Summary a, Summary b, double ratio, double ratioLow, double ratioHigh, double p, Verdict verdict) {

    public static final double ALPHA = 0.01;

    /** Which direction is better: throughput (higher) or time (lower). */
    public enum Better { HIGHER, LOWER }

    /** FIRST: a is better; SECOND: b is better; NONE: no significant difference. */
    public enum Verdict { FIRST, SECOND, NONE }

    public static Comparison of(Samples a, Samples b, Better better, long seed) {
        return of(a, b, better, seed, Bootstrap.RESAMPLES);
    }

    static Comparison of(Samples a, Samples b, Better better, long seed, int resamples) {
        Bootstrap boot = new Bootstrap(seed, resamples);
        Summary sa = Summary.of(a, boot), sb = Summary.of(b, boot);
        double ratio = sa.median() / sb.median();
        double lo = Double.NaN, hi = Double.NaN;
        if (a.count() >= 2 && b.count() >= 2) {
            double[] r = new double[resamples];
            for (int i = 0; i < resamples; i++) r[i] = boot.resampledMedian(a) / boot.resampledMedian(b);
            double[] ci = Bootstrap.interval95(r);
            lo = ci[0];
            hi = ci[1];
        }
        double p = MannWhitney.pValue(a.pooled(), b.pooled());
        boolean significant = p < ALPHA && (lo > 1 || hi < 1);
        Verdict v = !significant ? Verdict.NONE
                : (ratio > 1) == (better == Better.HIGHER) ? Verdict.FIRST : Verdict.SECOND;
        return new Comparison(sa, sb, ratio, lo, hi, p, v);
    }

    public boolean significant() {
        return verdict != Verdict.NONE;
    }

    /** Whether these sample counts cannot reach p &lt; ALPHA at all: "no significant difference" then means "too few samples". */
    public boolean tooFewSamples() {
        return MannWhitney.smallestPValue(a.count(), b.count()) >= ALPHA;
    }
}
