package dev.repsim.measure;

/**
 * Two cells compared: the ratio of their medians, a 95 % CI of the ratio and a p-value, both from Welch's t
 * test on the logarithms of the two sides' fork medians (the forks are the independent units: see
 * {@link Summary}), and a verdict that names a winner only when the difference is real (p &lt; {@link #ALPHA}
 * and the ratio's CI excludes 1); otherwise "no significant difference", whatever the medians say. With
 * fewer than 2 forks on a side nothing can be tested.
 *
 * @param ratio    median(a) / median(b), over all samples
 * @param ratioLow lower end of the 95 % CI of the ratio, exp(d ± t·se) for the difference d of the mean log
 *                 fork medians (NaN when a side has fewer than 2 forks)
 * @param p        two-sided p-value of Welch's test, Welch–Satterthwaite degrees of freedom rounded down (NaN as above)
 */
public record Comparison(Summary a, Summary b, double ratio, double ratioLow, double ratioHigh, double p, Verdict verdict) {

    public static final double ALPHA = 0.01;

    /** Which direction is better: throughput (higher) or time (lower). */
    public enum Better { HIGHER, LOWER }

    /** FIRST: a is better; SECOND: b is better; NONE: no significant difference. */
    public enum Verdict { FIRST, SECOND, NONE }

    public static Comparison of(Samples a, Samples b, Better better) {
        Summary sa = Summary.of(a), sb = Summary.of(b);
        double ratio = sa.median() / sb.median();
        double lo = Double.NaN, hi = Double.NaN, p = Double.NaN;
        if (a.forkCount() >= 2 && b.forkCount() >= 2) {
            double[] la = a.logForkMedians(), lb = b.logForkMedians();
            double d = Summary.mean(la) - Summary.mean(lb);
            double va = Summary.variance(la) / la.length, vb = Summary.variance(lb) / lb.length, se = Math.sqrt(va + vb);
            if (se > 0) {
                double df = (va + vb) * (va + vb) / (va * va / (la.length - 1) + vb * vb / (lb.length - 1));
                int dof = Math.max(1, (int) Math.floor(df));
                double half = StudentT.quantile975(dof) * se;
                lo = Math.exp(d - half);
                hi = Math.exp(d + half);
                p = StudentT.twoSidedP(d / se, dof);
            } else { // every fork median equal on each side: the difference is exact
                lo = hi = Math.exp(d);
                p = d == 0 ? 1 : 0;
            }
        }
        boolean significant = p < ALPHA && (lo > 1 || hi < 1);
        Verdict v = !significant ? Verdict.NONE
                : (ratio > 1) == (better == Better.HIGHER) ? Verdict.FIRST : Verdict.SECOND;
        return new Comparison(sa, sb, ratio, lo, hi, p, v);
    }

    public boolean significant() {
        return verdict != Verdict.NONE;
    }

    /** Whether a side has fewer than 2 forks, so that nothing could be tested: "no significant difference" then means "too few forks". */
    public boolean tooFewForks() {
        return a.forks() < 2 || b.forks() < 2;
    }
}
